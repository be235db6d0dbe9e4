// An RTCPeerConnection without a network, strict where the real one is strict, so that two
// negotiators wired back to back show what they would do to each other in a browser:
// - signalling states and their rules (an offer only in stable, an answer only to a pending offer,
//   rollback only with something pending), with setLocalDescription() choosing offer or answer;
// - negotiationneeded whenever a local track is not in any negotiated m-line or an ICE restart is
//   pending, and the connection is stable: fired again each time it returns to stable;
// - addTrack transceivers that a remote offer of the same kind picks up, as JSEP says;
// - ICE credentials that change on restartIce() (and when answering an offer that restarts), local
//   candidates after each setLocalDescription, and addIceCandidate refusing candidates before a
//   remote description or for other credentials;
// - "connected" once both descriptions are set and a candidate of the current credentials arrived.
// The SDP is JSON: {ufrag, mlines: [{mid, kind, sends}]}.
import { FakeMediaStream, FakeTrack } from "./fake-browser.mjs";

let nextPeerId = 1;

function domError(name, message) {
    return Object.assign(new Error(message), { name });
}

function parse(description) {
    return JSON.parse(description.sdp);
}

export class FakePeerConnection {
    static instances = [];

    id = nextPeerId++;
    signalingState = "stable";
    iceConnectionState = "new";
    iceGatheringState = "new";
    // What happened, for assertions.
    offersMade = 0;
    answersMade = 0;
    rollbacks = 0;
    candidatesAdded = 0;
    candidatesRefused = 0;
    negotiationNeededFired = 0;

    #transceivers = [];
    #nextMid = 0;
    #currentLocal = null;
    #currentRemote = null;
    #pendingLocal = null;
    #pendingRemote = null;
    #midsOfPendingOffer = [];
    #ufrag;
    #ufragCount = 0;
    #restartPending = false;
    #remoteCandidateUfrags = new Set();
    #seenRemoteMids = new Set();
    #connectedOn = null;
    #negotiationNeededQueued = false;
    #candidatesPerGathering;

    constructor(configuration = {}, { candidatesPerGathering = 1 } = {}) {
        this.configuration = configuration;
        this.#candidatesPerGathering = candidatesPerGathering;
        this.#ufrag = this.#newUfrag();
        FakePeerConnection.instances.push(this);
    }

    /** A class whose instances gather no candidate at all, like a browser whose TURN server refused it. */
    static withoutCandidates() {
        return class extends FakePeerConnection {
            constructor(configuration) {
                super(configuration, { candidatesPerGathering: 0 });
            }
        };
    }

    get localDescription() {
        return this.#pendingLocal || this.#currentLocal;
    }

    get remoteDescription() {
        return this.#pendingRemote || this.#currentRemote;
    }

    /** The credentials this side uses now, and the other side's as this side last accepted them. */
    get localUfrag() {
        return this.#currentLocal ? parse(this.#currentLocal).ufrag : null;
    }

    get remoteUfrag() {
        return this.#currentRemote ? parse(this.#currentRemote).ufrag : null;
    }

    /** The kinds of the m-lines both sides agreed on, by mid. */
    get negotiatedKinds() {
        return this.#currentLocal ? parse(this.#currentLocal).mlines.map(mline => mline.kind) : [];
    }

    addTrack(track, stream) {
        this.#requireOpen();
        const transceiver = { mid: null, kind: track.kind, track, stream };
        this.#transceivers.push(transceiver);
        this.#updateNegotiationNeeded();
        return { track };
    }

    restartIce() {
        this.#requireOpen();
        this.#restartPending = true;
        this.#updateNegotiationNeeded();
    }

    async setLocalDescription(description) {
        await null;
        this.#requireOpen();
        const type = description && description.type
            ? description.type
            : (this.signalingState === "have-remote-offer" ? "answer" : "offer");
        if (type === "rollback") {
            this.#rollback();
        } else if (type === "offer") {
            if (this.signalingState !== "stable" && this.signalingState !== "have-local-offer") {
                throw domError("InvalidStateError", `setLocalDescription(offer) in ${this.signalingState}`);
            }
            this.#pendingLocal = { type: "offer", sdp: JSON.stringify(this.#offerBody()) };
            this.signalingState = "have-local-offer";
            this.offersMade++;
            this.#gather();
        } else if (type === "answer") {
            if (this.signalingState !== "have-remote-offer") {
                throw domError("InvalidStateError", `setLocalDescription(answer) in ${this.signalingState}`);
            }
            this.#currentLocal = { type: "answer", sdp: JSON.stringify(this.#answerBody()) };
            this.#currentRemote = this.#pendingRemote;
            this.#pendingRemote = null;
            this.signalingState = "stable";
            this.answersMade++;
            this.#gather();
            this.#afterStable();
        } else {
            throw domError("TypeError", `unknown description type ${type}`);
        }
    }

    async setRemoteDescription(description) {
        await null;
        this.#requireOpen();
        const body = parse(description);
        if (description.type === "offer") {
            if (this.signalingState !== "stable") {
                // Real browsers roll back implicitly here; the negotiator must do it itself.
                throw domError("InvalidStateError", `setRemoteDescription(offer) in ${this.signalingState}`);
            }
            for (const mline of body.mlines) {
                this.#associate(mline);
            }
            this.#pendingRemote = { type: "offer", sdp: description.sdp };
            this.signalingState = "have-remote-offer";
            this.#announceRemoteTracks(body);
        } else if (description.type === "answer") {
            if (this.signalingState !== "have-local-offer") {
                throw domError("InvalidStateError", `setRemoteDescription(answer) in ${this.signalingState}`);
            }
            this.#currentLocal = this.#pendingLocal;
            this.#currentRemote = { type: "answer", sdp: description.sdp };
            this.#pendingLocal = null;
            this.#midsOfPendingOffer = [];
            // The offer carried any restart that was pending when it was made.
            this.#restartPending = false;
            this.signalingState = "stable";
            this.#announceRemoteTracks(body);
            this.#afterStable();
        } else {
            throw domError("InvalidStateError", `setRemoteDescription(${description.type})`);
        }
    }

    async addIceCandidate(candidate) {
        await null;
        this.#requireOpen();
        if (!this.remoteDescription) {
            throw domError("InvalidStateError", "addIceCandidate before a remote description");
        }
        if (candidate.usernameFragment !== parse(this.remoteDescription).ufrag) {
            this.candidatesRefused++;
            throw domError("OperationError", `candidate of unknown ufrag ${candidate.usernameFragment}`);
        }
        this.candidatesAdded++;
        this.#remoteCandidateUfrags.add(candidate.usernameFragment);
        this.#maybeConnect();
    }

    close() {
        this.signalingState = "closed";
        this.iceConnectionState = "closed";
    }

    #requireOpen() {
        if (this.signalingState === "closed") {
            throw domError("InvalidStateError", "the connection is closed");
        }
    }

    #newUfrag() {
        this.#ufragCount++;
        return `p${this.id}u${this.#ufragCount}`;
    }

    // Only setLocalDescription() without a description is modelled: it is all the negotiator uses.
    #offerBody() {
        for (const transceiver of this.#transceivers.filter(candidate => candidate.mid === null)) {
            transceiver.mid = String(this.#nextMid++);
            this.#midsOfPendingOffer.push(transceiver);
        }
        if (this.#restartPending && this.localUfrag === this.#ufrag) {
            this.#ufrag = this.#newUfrag();
        }
        return {
            ufrag: this.#ufrag,
            mlines: this.#transceivers.map(transceiver => ({ mid: transceiver.mid, kind: transceiver.kind, sends: Boolean(transceiver.track) }))
        };
    }

    #answerBody() {
        const offer = parse(this.#pendingRemote);
        // An offer with new credentials restarts ICE on both sides, and clears a restart of our own.
        if (this.#currentRemote && offer.ufrag !== parse(this.#currentRemote).ufrag) {
            this.#ufrag = this.#newUfrag();
            this.#restartPending = false;
        }
        return {
            ufrag: this.#ufrag,
            mlines: offer.mlines.map(mline => {
                const transceiver = this.#transceivers.find(candidate => candidate.mid === mline.mid);
                return { mid: mline.mid, kind: mline.kind, sends: Boolean(transceiver && transceiver.track) };
            })
        };
    }

    #associate(mline) {
        if (this.#transceivers.some(transceiver => transceiver.mid === mline.mid)) {
            return;
        }
        const fromAddTrack = this.#transceivers.find(transceiver => transceiver.mid === null && transceiver.kind === mline.kind);
        if (fromAddTrack) {
            fromAddTrack.mid = mline.mid;
        } else {
            this.#transceivers.push({ mid: mline.mid, kind: mline.kind, track: null, stream: null });
        }
        this.#nextMid = Math.max(this.#nextMid, Number(mline.mid) + 1);
    }

    #rollback() {
        if (this.signalingState === "have-local-offer") {
            for (const transceiver of this.#midsOfPendingOffer) {
                transceiver.mid = null;
            }
            this.#midsOfPendingOffer = [];
            this.#pendingLocal = null;
            this.#ufrag = this.localUfrag || this.#ufrag;
        } else if (this.signalingState === "have-remote-offer") {
            this.#pendingRemote = null;
        } else {
            throw domError("InvalidStateError", `rollback in ${this.signalingState}`);
        }
        this.signalingState = "stable";
        this.rollbacks++;
        this.#updateNegotiationNeeded();
    }

    #announceRemoteTracks(body) {
        for (const mline of body.mlines) {
            if (mline.sends && !this.#seenRemoteMids.has(mline.mid)) {
                this.#seenRemoteMids.add(mline.mid);
                const track = new FakeTrack(mline.kind);
                setImmediate(() => this.signalingState !== "closed" && this.ontrack
                    && this.ontrack({ track, streams: [new FakeMediaStream([track])] }));
            }
        }
    }

    #gather() {
        const ufrag = this.#ufrag;
        this.iceGatheringState = "gathering";
        setImmediate(() => {
            if (this.signalingState === "closed") {
                return;
            }
            for (let i = 0; i < this.#candidatesPerGathering; i++) {
                const candidate = {
                    candidate: `candidate:${this.id}${i} 1 udp 2122260223 192.0.2.${this.id} ${50000 + i} typ host`,
                    sdpMid: "0",
                    sdpMLineIndex: 0,
                    usernameFragment: ufrag
                };
                this.onicecandidate && this.onicecandidate({ candidate: { ...candidate, toJSON: () => ({ ...candidate }) } });
            }
            this.onicecandidate && this.onicecandidate({ candidate: null });
            this.iceGatheringState = "complete";
            this.onicegatheringstatechange && this.onicegatheringstatechange({});
        });
    }

    #afterStable() {
        this.#maybeConnect();
        this.#updateNegotiationNeeded();
    }

    #maybeConnect() {
        if (this.signalingState !== "stable" || !this.#currentLocal || !this.#currentRemote
                || !this.#remoteCandidateUfrags.has(this.remoteUfrag)) {
            return;
        }
        const pair = `${this.localUfrag}/${this.remoteUfrag}`;
        if (this.#connectedOn === pair) {
            return;
        }
        this.#connectedOn = pair;
        setImmediate(() => {
            if (this.signalingState !== "closed") {
                this.iceConnectionState = "connected";
                this.oniceconnectionstatechange && this.oniceconnectionstatechange({});
            }
        });
    }

    #negotiationNeeded() {
        return this.#restartPending || this.#transceivers.some(transceiver => transceiver.mid === null && transceiver.track);
    }

    #updateNegotiationNeeded() {
        if (this.signalingState !== "stable" || this.#negotiationNeededQueued || !this.#negotiationNeeded()) {
            return;
        }
        this.#negotiationNeededQueued = true;
        setImmediate(() => {
            this.#negotiationNeededQueued = false;
            if (this.signalingState === "stable" && this.#negotiationNeeded()) {
                this.negotiationNeededFired++;
                this.onnegotiationneeded && this.onnegotiationneeded({});
            }
        });
    }
}
