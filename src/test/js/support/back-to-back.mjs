// Two negotiators wired to each other through a wire the test controls, as simple-peer tests two
// peers: what one side signals is queued, and delivered in order when the test flushes the wire
// (or at once, with autoFlush).
import { FakeMediaStream, FakeTrack } from "./fake-browser.mjs";
import { settle } from "./webphone-api.mjs";

export class Wire {
    queued = [];
    log = [];
    autoFlush;

    constructor({ autoFlush = true } = {}) {
        this.autoFlush = autoFlush;
    }

    carry(from, to, signal) {
        const entry = { from: from.name, to, signal };
        this.log.push(entry);
        this.queued.push(entry);
        if (this.autoFlush) {
            setImmediate(() => this.flush());
        }
    }

    /** Delivers everything queued so far, in order. */
    flush() {
        for (const { to, signal } of this.queued.splice(0)) {
            to.negotiator.receive(signal);
        }
    }

    /** Flushes until neither side has anything more to say. */
    async flushUntilQuiet(rounds = 20) {
        for (let i = 0; i < rounds; i++) {
            await settle();
            if (this.queued.length === 0) {
                return;
            }
            this.flush();
        }
        throw new Error("the two sides never stopped signalling: " + this.describe());
    }

    /** Offers and answers on the wire so far, e.g. "impolite offer, polite answer". */
    descriptions() {
        return this.log.filter(entry => entry.signal.description)
            .map(entry => `${entry.from} ${entry.signal.description.type}`);
    }

    describe() {
        return this.log.map(entry => `${entry.from}: ${entry.signal.description ? entry.signal.description.type : "candidate"}`).join(", ");
    }
}

export function microphone() {
    return new FakeMediaStream([new FakeTrack("audio")]);
}

export function camera() {
    return new FakeMediaStream([new FakeTrack("video")]);
}

/** What a video call's getUserMedia gives: one stream with the microphone and the camera. */
export function microphoneAndCamera() {
    return new FakeMediaStream([new FakeTrack("audio"), new FakeTrack("video")]);
}

/**
 * Two sides of one call: "impolite" (the server's offerer) and "polite". Each side records the
 * streams it received, each report of the other side's video (remoteVideo: arrays of tracks) and
 * the failures it reported. video makes it a video call.
 */
export function backToBack(api, PeerConnection, { wire = new Wire(), localStreams = {}, video = false } = {}) {
    const sides = {};
    for (const [name, offerer] of [["impolite", true], ["polite", false]]) {
        const side = { name, remoteStreams: [], remoteVideo: [], failures: [] };
        sides[name] = side;
        side.negotiator = new api.Negotiator({
            iceServers: [],
            localStream: localStreams[name] || Promise.resolve(microphone()),
            offerer,
            video,
            onRemoteVideo: tracks => side.remoteVideo.push(tracks),
            onSignal: signal => wire.carry(side, sides[name === "impolite" ? "polite" : "impolite"], signal),
            onRemoteStream: stream => side.remoteStreams.push(stream),
            onFailure: reason => side.failures.push(reason),
            PeerConnection: class extends PeerConnection {
                constructor(configuration) {
                    super(configuration);
                    side.peer = this;
                }
            }
        });
    }
    return { ...sides, wire };
}
