// Two negotiators back to back over fake RTCPeerConnections: the first offer and answer, candidates
// that overtake their description, renegotiation from either side, and glare.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi, recordingConsole, settle } from "./support/webphone-api.mjs";
import { FakeClock, FakeMediaStream } from "./support/fake-browser.mjs";
import { FakePeerConnection } from "./support/fake-peer-connection.mjs";
import { backToBack, camera, microphone, microphoneAndCamera, Wire } from "./support/back-to-back.mjs";

let api;
let clock;
let consoleLines;

beforeEach(() => {
    clock = new FakeClock();
    const recorder = recordingConsole();
    consoleLines = recorder.lines;
    api = loadWebphoneApi({
        console: recorder, MediaStream: FakeMediaStream,
        setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout
    });
});

async function connected(options) {
    const call = backToBack(api, FakePeerConnection, options);
    await call.wire.flushUntilQuiet();
    return call;
}

function assertConnected({ impolite, polite }) {
    for (const side of [impolite, polite]) {
        assert.deepEqual(side.failures, [], `${side.name} failed`);
        assert.equal(side.peer.signalingState, "stable", side.name);
        assert.equal(side.peer.iceConnectionState, "connected", side.name);
    }
    assert.equal(impolite.peer.localUfrag, polite.peer.remoteUfrag, "the polite side uses the impolite side's credentials");
    assert.equal(polite.peer.localUfrag, impolite.peer.remoteUfrag, "the impolite side uses the polite side's credentials");
}

describe("two negotiators back to back", () => {
    it("connect with one offer from the server's offerer and one answer", async () => {
        const call = await connected();

        assertConnected(call);
        assert.deepEqual(call.wire.descriptions(), ["impolite offer", "polite answer"]);
        assert.equal(call.impolite.negotiator.polite, false);
        assert.equal(call.polite.negotiator.polite, true);
        assert.deepEqual(call.impolite.peer.negotiatedKinds, ["audio"]);
        assert.equal(call.impolite.remoteStreams.length, 1, "the offerer hears the other side");
        assert.equal(call.polite.remoteStreams.length, 1, "the answerer hears the other side");
    });

    it("let the polite side's own need to negotiate ride on its first answer", async () => {
        const call = await connected();

        assert.ok(call.polite.peer.negotiationNeededFired >= 1, "adding the microphone asked the polite side to negotiate");
        assert.equal(call.polite.peer.offersMade, 0, "yet it never offered: both sides never offer at once");
    });

    it("hold candidates back until the description they belong to is set", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await settle();
        // The offer and the offerer's candidates are queued; deliver the candidates first.
        const offer = wire.queued.filter(entry => entry.signal.description);
        const candidates = wire.queued.filter(entry => entry.signal.candidate);
        assert.equal(offer.length, 1);
        assert.ok(candidates.length >= 1);
        wire.queued = [...candidates, ...offer];
        await wire.flushUntilQuiet();

        assertConnected(call);
        assert.equal(call.polite.peer.candidatesRefused, 0);
        assert.ok(call.polite.peer.candidatesAdded >= 1);
    });

    it("renegotiate when the offerer adds a camera", async () => {
        const call = await connected();

        call.impolite.negotiator.addStream(camera());
        await call.wire.flushUntilQuiet();

        assertConnected(call);
        assert.deepEqual(call.wire.descriptions(), ["impolite offer", "polite answer", "impolite offer", "polite answer"]);
        assert.deepEqual(call.polite.peer.negotiatedKinds, ["audio", "video"]);
        assert.equal(call.polite.remoteStreams.length, 2, "the answerer receives the camera");
    });

    it("renegotiate when the polite side adds a camera, once the call is established", async () => {
        const call = await connected();

        call.polite.negotiator.addStream(camera());
        await call.wire.flushUntilQuiet();

        assertConnected(call);
        assert.deepEqual(call.wire.descriptions().slice(2), ["polite offer", "impolite answer"]);
        assert.deepEqual(call.impolite.peer.negotiatedKinds, ["audio", "video"]);
        assert.equal(call.impolite.remoteStreams.length, 2, "the offerer receives the camera");
    });

    it("restart ICE: new credentials on both sides, and connected again", async () => {
        const call = await connected();
        const before = [call.impolite.peer.localUfrag, call.polite.peer.localUfrag];

        call.polite.negotiator.restartIce();
        await call.wire.flushUntilQuiet();

        assertConnected(call);
        assert.notEqual(call.impolite.peer.localUfrag, before[0]);
        assert.notEqual(call.polite.peer.localUfrag, before[1]);
    });

    it("resolve glare: the impolite side ignores the colliding offer, the polite side yields and offers again", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await wire.flushUntilQuiet();
        const ufragBefore = call.impolite.peer.localUfrag;

        // Both sides need to negotiate at the same moment: an ICE restart here, a camera there.
        call.impolite.negotiator.restartIce();
        call.polite.negotiator.addStream(camera());
        await settle();
        assert.equal(call.impolite.peer.signalingState, "have-local-offer");
        assert.equal(call.polite.peer.signalingState, "have-local-offer");
        await wire.flushUntilQuiet();

        assertConnected(call);
        assert.deepEqual(wire.descriptions().slice(2),
            ["impolite offer", "polite offer", "polite answer", "polite offer", "impolite answer"]);
        assert.equal(call.polite.peer.rollbacks, 1, "the polite side rolled its offer back");
        assert.equal(call.impolite.peer.rollbacks, 0, "the impolite side kept its offer");
        assert.notEqual(call.impolite.peer.localUfrag, ufragBefore, "the impolite side's restart went through");
        assert.deepEqual(call.impolite.peer.negotiatedKinds, ["audio", "video"], "the polite side's camera went through");
        assert.equal(call.impolite.remoteStreams.length, 2);
        assert.ok(consoleLines.some(line => line.includes("ignored the other party's offer")), consoleLines.join("\n"));
    });

    it("resolve glare of two ICE restarts in one round", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await wire.flushUntilQuiet();

        call.impolite.negotiator.restartIce();
        call.polite.negotiator.restartIce();
        await wire.flushUntilQuiet();

        assertConnected(call);
        assert.deepEqual(wire.descriptions().slice(2), ["impolite offer", "polite offer", "polite answer"]);
    });

    it("do not offer before the local tracks are added", async () => {
        let grant;
        const microphone = new Promise(resolve => {
            grant = resolve;
        });
        const call = backToBack(api, FakePeerConnection, { localStreams: { impolite: microphone } });
        await settle();
        assert.deepEqual(call.wire.descriptions(), []);

        grant(new FakeMediaStream([{ kind: "audio" }]));
        await call.wire.flushUntilQuiet();

        assertConnected(call);
    });
});

// The m-lines of the first offer on the wire, as {kind, direction}.
function firstOfferLines(wire) {
    const offer = wire.log.find(entry => entry.signal.description && entry.signal.description.type === "offer");
    return JSON.parse(offer.signal.description.sdp).mlines.map(({ kind, direction }) => ({ kind, direction }));
}

// The video tracks a side was last told the other side sends, by kind (a real track's kind is "video").
function lastRemoteVideo(side) {
    return side.remoteVideo.length === 0 ? [] : side.remoteVideo[side.remoteVideo.length - 1].map(track => track.kind);
}

describe("video between two negotiators", () => {
    it("a video call offers audio and video, and each side receives the other's camera", async () => {
        const call = await connected({ video: true, localStreams: {
            impolite: Promise.resolve(microphoneAndCamera()), polite: Promise.resolve(microphoneAndCamera()) } });

        assertConnected(call);
        assert.deepEqual(firstOfferLines(call.wire), [{ kind: "audio", direction: "sendrecv" }, { kind: "video", direction: "sendrecv" }]);
        assert.deepEqual(call.wire.descriptions(), ["impolite offer", "polite answer"], "one round: both cameras ride on it");
        for (const side of [call.impolite, call.polite]) {
            assert.deepEqual(side.peer.receivedKinds, ["audio", "video"], side.name);
            assert.deepEqual(side.peer.sentKinds, ["audio", "video"], side.name);
            assert.deepEqual(lastRemoteVideo(side), ["video"], side.name);
        }
        assert.equal(call.impolite.remoteStreams[0], call.impolite.remoteStreams[1],
            "the other side's microphone and camera arrive in one stream, as they were sent");
    });

    it("a video call whose offerer has no camera still asks for the other side's", async () => {
        const call = await connected({ video: true, localStreams: {
            impolite: Promise.resolve(microphone()), polite: Promise.resolve(microphoneAndCamera()) } });

        assertConnected(call);
        assert.deepEqual(firstOfferLines(call.wire), [{ kind: "audio", direction: "sendrecv" }, { kind: "video", direction: "recvonly" }]);
        assert.deepEqual(call.impolite.peer.receivedKinds, ["audio", "video"]);
        assert.deepEqual(call.polite.peer.receivedKinds, ["audio"]);
        assert.deepEqual(lastRemoteVideo(call.impolite), ["video"]);
        assert.deepEqual(call.polite.remoteVideo, [[]], "told once, after the first negotiation: no video");
    });

    it("a voice call has no video m-line", async () => {
        const call = await connected();
        assert.deepEqual(firstOfferLines(call.wire), [{ kind: "audio", direction: "sendrecv" }]);
        assert.deepEqual(call.impolite.remoteVideo, [[]]);
    });

    for (const upgrading of ["impolite", "polite"]) {
        const other = upgrading === "impolite" ? "polite" : "impolite";

        it(`a voice call is upgraded by the ${upgrading} side: a renegotiation carries its camera`, async () => {
            const call = await connected();
            const cameraStream = camera();

            await call[upgrading].negotiator.sendVideo(cameraStream.getTracks()[0], cameraStream);
            await call.wire.flushUntilQuiet();

            assertConnected(call);
            assert.deepEqual(call.wire.descriptions().slice(2), [`${upgrading} offer`, `${other} answer`]);
            assert.deepEqual(call[other].peer.receivedKinds, ["audio", "video"]);
            assert.deepEqual(call[upgrading].peer.receivedKinds, ["audio"], "the other side sends no video of its own");
            assert.deepEqual(lastRemoteVideo(call[other]), ["video"]);
            assert.deepEqual(call[upgrading].remoteVideo, [[]], "nothing new to report to the side that upgraded");
        });
    }

    it("video off renegotiates, the m-line stays, and video on again reuses it", async () => {
        const call = await connected();
        const first = camera();
        await call.polite.negotiator.sendVideo(first.getTracks()[0], first);
        await call.wire.flushUntilQuiet();

        await call.polite.negotiator.sendVideo(null);
        await call.wire.flushUntilQuiet();
        assertConnected(call);
        assert.deepEqual(call.impolite.peer.receivedKinds, ["audio"], "the camera is off");
        assert.deepEqual(call.impolite.remoteVideo.map(tracks => tracks.length), [0, 1, 0], "told of no video, the video, then none");
        assert.equal(call.polite.peer.getTransceivers()[1].sender.track, null);

        const second = camera();
        await call.polite.negotiator.sendVideo(second.getTracks()[0], second);
        await call.wire.flushUntilQuiet();
        assertConnected(call);
        assert.deepEqual(call.impolite.peer.receivedKinds, ["audio", "video"]);
        assert.deepEqual(call.impolite.peer.negotiatedKinds, ["audio", "video"], "no m-line was added");
        assert.equal(call.polite.peer.getTransceivers()[1].sender.track, second.getTracks()[0]);
        assert.deepEqual(call.wire.descriptions().slice(2),
            ["polite offer", "impolite answer", "polite offer", "impolite answer", "polite offer", "impolite answer"]);
        assert.deepEqual(call.impolite.remoteVideo.map(tracks => tracks.length), [0, 1, 0, 1],
            "as Chromium reports it (NegotiationBrowserTests)");
    });

    it("one camera swapped for another is not a renegotiation", async () => {
        const call = await connected({ video: true, localStreams: {
            impolite: Promise.resolve(microphoneAndCamera()), polite: Promise.resolve(microphoneAndCamera()) } });
        const other = camera();

        await call.impolite.negotiator.sendVideo(other.getTracks()[0], other);
        await call.wire.flushUntilQuiet();

        assert.equal(call.wire.descriptions().length, 2);
        assert.equal(call.impolite.peer.replacedTracks.length, 1);
        assert.equal(call.impolite.peer.getTransceivers()[1].sender.track, other.getTracks()[0]);
    });

    it("both sides turning their camera on at once end up in one video m-line, sending both ways", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await wire.flushUntilQuiet();

        const cameras = [camera(), camera()];
        await Promise.all([
            call.impolite.negotiator.sendVideo(cameras[0].getTracks()[0], cameras[0]),
            call.polite.negotiator.sendVideo(cameras[1].getTracks()[0], cameras[1])
        ]);
        await settle();
        assert.equal(call.impolite.peer.signalingState, "have-local-offer");
        assert.equal(call.polite.peer.signalingState, "have-local-offer");
        await wire.flushUntilQuiet();

        assertConnected(call);
        assert.equal(call.polite.peer.rollbacks, 1);
        assert.deepEqual(call.impolite.peer.negotiatedKinds, ["audio", "video"]);
        for (const side of [call.impolite, call.polite]) {
            assert.deepEqual(side.peer.receivedKinds, ["audio", "video"], side.name);
            assert.deepEqual(lastRemoteVideo(side), ["video"], side.name);
        }
    });
});

describe("a negotiator on its own", () => {
    it("fails at once when gathering ends without a single candidate", async () => {
        const call = backToBack(api, FakePeerConnection.withoutCandidates());
        await call.wire.flushUntilQuiet();

        assert.match(call.impolite.failures[0], /^no ICE candidate could be gathered: no ICE server reported an error$/);
        assert.equal(call.impolite.peer.signalingState, "closed");
    });

    it("fails when media has not connected after 30 s, naming the ICE state", async () => {
        const failures = [];
        new api.Negotiator({
            localStream: Promise.resolve(new FakeMediaStream([])), offerer: false,
            onSignal: () => {}, onRemoteStream: () => {}, onFailure: reason => failures.push(reason),
            PeerConnection: FakePeerConnection
        });
        await settle();
        clock.tick(29999);
        assert.deepEqual(failures, []);
        clock.tick(1);
        assert.deepEqual(failures, ["media did not connect within 30 s (ICE state new)"]);
    });

    it("stops its watchdog once connected", async () => {
        const call = await connected();
        clock.tick(60000);
        assertConnected(call);
    });

    it("fails at once when ICE fails before media ever connected", async () => {
        const call = backToBack(api, FakePeerConnection, { wire: new Wire({ autoFlush: false }) });
        await settle();
        loseMediaPath(call.impolite, "failed");
        assert.deepEqual(call.impolite.failures, ["ICE failed: no network path to the other party"]);
    });

    it("ignores an answer that answers nothing, rather than failing the call", async () => {
        const call = await connected();
        call.polite.negotiator.receive({ description: { type: "answer", sdp: call.impolite.peer.remoteDescription.sdp } });
        await settle();
        assertConnected(call);
        assert.ok(consoleLines.some(line => line.includes("ignored an answer in signalling state stable")));
    });
});

// What a browser reports when packets stop flowing on a path that worked.
function loseMediaPath(side, state) {
    side.peer.iceConnectionState = state;
    side.peer.oniceconnectionstatechange({});
}

describe("a media path that breaks during the call", () => {
    it("is restarted by the offerer when it fails, and the call carries on", async () => {
        const call = await connected();
        const ufrags = [call.impolite.peer.localUfrag, call.polite.peer.localUfrag];

        loseMediaPath(call.impolite, "failed");
        loseMediaPath(call.polite, "failed");
        await call.wire.flushUntilQuiet();

        assertConnected(call);
        assert.notEqual(call.impolite.peer.localUfrag, ufrags[0]);
        assert.notEqual(call.polite.peer.localUfrag, ufrags[1]);
        assert.deepEqual(call.wire.descriptions().slice(2), ["impolite offer", "polite answer"]);
        clock.tick(60000);
        assertConnected(call);
        assert.ok(consoleLines.some(line => line.includes("the media path is back")));
    });

    it("is left alone while it is disconnected for less than 3 s, as browsers often recover", async () => {
        const call = await connected();

        loseMediaPath(call.impolite, "disconnected");
        clock.tick(2999);
        loseMediaPath(call.impolite, "connected");
        clock.tick(60000);
        await call.wire.flushUntilQuiet();

        assert.equal(call.wire.descriptions().length, 2, "no renegotiation");
        assertConnected(call);
    });

    it("is restarted when it stays disconnected for 3 s", async () => {
        const call = await connected();

        loseMediaPath(call.impolite, "disconnected");
        clock.tick(3000);
        await call.wire.flushUntilQuiet();

        assert.deepEqual(call.wire.descriptions().slice(2), ["impolite offer", "polite answer"]);
        assertConnected(call);
    });

    it("is restarted by the polite side when only it sees the loss and the offerer does nothing in 2 s", async () => {
        const call = await connected();

        loseMediaPath(call.polite, "failed");
        clock.tick(1999);
        await call.wire.flushUntilQuiet();
        assert.equal(call.wire.descriptions().length, 2);
        clock.tick(1);
        await call.wire.flushUntilQuiet();

        assert.deepEqual(call.wire.descriptions().slice(2), ["polite offer", "impolite answer"]);
        assertConnected(call);
    });

    it("is not restarted twice when the offerer's restart reaches the polite side first", async () => {
        const call = await connected();

        loseMediaPath(call.polite, "failed");
        loseMediaPath(call.impolite, "failed");
        await call.wire.flushUntilQuiet();
        clock.tick(2000);
        await call.wire.flushUntilQuiet();

        assert.deepEqual(call.wire.descriptions().slice(2), ["impolite offer", "polite answer"]);
    });

    it("restarts again every 4 s while the path stays down, as when the TURN server is restarting", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await wire.flushUntilQuiet();
        const offers = new Set([call.impolite.peer.localDescription.sdp]);
        wire.carry = () => {}; // nothing reaches the other side: no restart can succeed

        loseMediaPath(call.impolite, "failed");
        for (let retry = 0; retry < 3; retry++) {
            await settle();
            offers.add(call.impolite.peer.localDescription.sdp);
            clock.tick(4000);
        }
        await settle();
        offers.add(call.impolite.peer.localDescription.sdp);

        // Each restart offers new credentials; an unanswered one is rolled back for the next.
        assert.equal(offers.size, 5, "one restart at the loss and one per 4 s after it");
        assert.deepEqual(call.impolite.failures, []);
    });

    it("ends the call when it has not come back within 30 s", async () => {
        const wire = new Wire({ autoFlush: false });
        const call = backToBack(api, FakePeerConnection, { wire });
        await wire.flushUntilQuiet();
        wire.carry = () => {}; // the network is gone: nothing reaches the other side any more

        loseMediaPath(call.impolite, "failed");
        await settle();
        clock.tick(29999);
        assert.deepEqual(call.impolite.failures, []);
        clock.tick(1);

        assert.deepEqual(call.impolite.failures,
            ["the media path was lost and did not come back within 30 s (ICE state failed)"]);
    });
});
