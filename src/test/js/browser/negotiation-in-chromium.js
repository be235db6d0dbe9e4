// Two negotiators back to back in a real Chromium, with real RTCPeerConnections and no server: the
// same scenarios the unit tests run against the fake RTCPeerConnection, here to show that the fake
// models the browser. NegotiationBrowserTests loads the client's modules and this file into a page
// and runs one scenario with negotiationInChromium(name), which resolves to what happened.
(function () {
    "use strict";

    const audio = new AudioContext();

    function microphone() {
        const tone = audio.createOscillator();
        const destination = audio.createMediaStreamDestination();
        tone.connect(destination);
        tone.start();
        return destination.stream;
    }

    function camera() {
        const canvas = document.createElement("canvas");
        canvas.width = 160;
        canvas.height = 120;
        const painter = canvas.getContext("2d");
        let frame = 0;
        setInterval(() => {
            painter.fillStyle = frame++ % 2 === 0 ? "#204080" : "#80c040";
            painter.fillRect(0, 0, canvas.width, canvas.height);
        }, 50);
        return canvas.captureStream(10);
    }

    // Signals travel later, as over a network; while paused, they wait.
    function pair() {
        const wire = { paused: false, queued: [], descriptions: [] };
        const sides = {};
        wire.deliver = () => {
            while (!wire.paused && wire.queued.length > 0) {
                const [to, signal] = wire.queued.shift();
                sides[to].negotiator.receive(signal);
            }
        };
        for (const [name, offerer] of [["impolite", true], ["polite", false]]) {
            const side = { name, failures: [], remoteVideo: [] };
            sides[name] = side;
            const other = name === "impolite" ? "polite" : "impolite";
            side.negotiator = new Negotiator({
                iceServers: [],
                localStream: Promise.resolve(microphone()),
                offerer,
                onSignal: signal => {
                    if (signal.description) {
                        wire.descriptions.push(`${name} ${signal.description.type}`);
                    }
                    wire.queued.push([other, signal]);
                    setTimeout(wire.deliver, 5);
                },
                onRemoteStream: () => {},
                onRemoteVideo: tracks => side.remoteVideo.push(tracks.length),
                onFailure: reason => side.failures.push(reason),
                PeerConnection: class extends RTCPeerConnection {
                    constructor(configuration) {
                        super(configuration);
                        side.peer = this;
                    }
                }
            });
        }
        return { wire, ...sides };
    }

    async function until(condition, what, timeoutMs = 15000) {
        const deadline = Date.now() + timeoutMs;
        while (!condition()) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting for ${what}`);
            }
            await new Promise(resolve => setTimeout(resolve, 50));
        }
    }

    function settled(side) {
        return side.peer.signalingState === "stable"
            && ["connected", "completed"].includes(side.peer.iceConnectionState);
    }

    function receivedKinds(side) {
        return side.peer.getTransceivers()
            .filter(transceiver => transceiver.currentDirection && transceiver.currentDirection.includes("recv"))
            .map(transceiver => transceiver.receiver.track.kind);
    }

    function ufrag(side) {
        const match = /a=ice-ufrag:(\S+)/.exec(side.peer.currentLocalDescription.sdp);
        return match && match[1];
    }

    // Waits until both sides are connected and nothing is in flight, then a little longer for any
    // offer a late negotiationneeded would make.
    async function quiet(call, condition, what) {
        await until(() => settled(call.impolite) && settled(call.polite) && call.wire.queued.length === 0 && condition(), what);
        await new Promise(resolve => setTimeout(resolve, 500));
        await until(() => settled(call.impolite) && settled(call.polite) && call.wire.queued.length === 0, `${what}, still`);
    }

    function report(call, extra) {
        return {
            descriptions: call.wire.descriptions.slice(),
            failures: [...call.impolite.failures, ...call.polite.failures],
            received: { impolite: receivedKinds(call.impolite), polite: receivedKinds(call.polite) },
            ...extra
        };
    }

    const scenarios = {
        async first() {
            const call = pair();
            await quiet(call, () => true, "the first connection");
            return report(call);
        },

        async politeAddsCamera() {
            const call = pair();
            await quiet(call, () => true, "the first connection");
            call.polite.negotiator.addStream(camera());
            await quiet(call, () => receivedKinds(call.impolite).includes("video"), "the camera at the impolite side");
            return report(call);
        },

        // Both need to negotiate at the same moment: an ICE restart on one side, a camera on the other.
        async glare() {
            const call = pair();
            await quiet(call, () => true, "the first connection");
            const before = [ufrag(call.impolite), ufrag(call.polite)];
            call.wire.paused = true;
            call.impolite.negotiator.restartIce();
            call.polite.negotiator.addStream(camera());
            await until(() => call.impolite.peer.signalingState === "have-local-offer"
                && call.polite.peer.signalingState === "have-local-offer", "both sides offering");
            call.wire.paused = false;
            call.wire.deliver();
            await quiet(call, () => receivedKinds(call.impolite).includes("video"), "glare resolved");
            const after = [ufrag(call.impolite), ufrag(call.polite)];
            return report(call, { restartedIce: before[0] !== after[0] && before[1] !== after[1] });
        }
    };

    // The same steps as the unit test "video off renegotiates, the m-line stays, and video on again
    // reuses it": a camera on, off, and another on, from the polite side.
    scenarios.videoOffAndOn = async function () {
        const call = pair();
        await quiet(call, () => true, "the first connection");
        const sendsVideo = () => receivedKinds(call.impolite).includes("video");
        const first = camera();
        await call.polite.negotiator.sendVideo(first.getVideoTracks()[0], first);
        await quiet(call, sendsVideo, "the camera at the impolite side");
        await call.polite.negotiator.sendVideo(null);
        await quiet(call, () => !sendsVideo(), "the camera off");
        first.getTracks().forEach(track => track.stop());
        const second = camera();
        await call.polite.negotiator.sendVideo(second.getVideoTracks()[0], second);
        await quiet(call, sendsVideo, "the second camera at the impolite side");
        return report(call, {
            mlines: call.impolite.peer.getTransceivers().length,
            remoteVideoReports: call.impolite.remoteVideo
        });
    };

    window.negotiationInChromium = name => scenarios[name]()
        .catch(failure => ({ error: String(failure && failure.stack || failure) }));
})();
