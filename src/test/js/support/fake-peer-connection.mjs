// An RTCPeerConnection without a network, strict where the real one is strict, so that two
// negotiators wired back to back show what they would do to each other in a browser:
// - signalling states and their rules (an offer only in stable, an answer only to a pending offer,
//   rollback only with something pending), with setLocalDescription() choosing offer or answer;
// - negotiationneeded whenever a transceiver is not in any negotiated m-line, a direction differs
//   from what was negotiated, or an ICE restart is pending, and the connection is stable: fired again
//   each time it returns to stable;
// - transceivers as JSEP has them: addTrack ones that a remote offer of the same kind picks up,
//   addTransceiver ones, and ones a remote offer creates (recvonly); each with a direction the page
//   may change, the currentDirection both sides agreed on, a sender whose track replaceTrack()
//   swaps without renegotiating (an audio sender with an RTCDTMFSender that records the digits
//   inserted), and a receiver whose one track is announced through ontrack when the other side
//   starts sending on it (and leaves its stream when it stops);
// - ICE credentials that change on restartIce() (and when answering an offer that restarts), local
//   candidates after each setLocalDescription, and addIceCandidate refusing candidates before a
//   remote description or for other credentials;
// - "connected" once both descriptions are set and a candidate of the current credentials arrived.
// The SDP is JSON: {ufrag, mlines: [{mid, kind, direction, stream}]}, stream the id of the sender's
// stream (a=msid), null for a track sent without one.
import { FakeMediaStream, FakeTrack } from "./fake-browser.mjs";

const SENDS = new Set(["sendrecv", "sendonly"]);
const RECEIVES = new Set(["sendrecv", "recvonly"]);

function direction(sends, receives) {
    return sends ? (receives ? "sendrecv" : "sendonly") : (receives ? "recvonly" : "inactive");
}

/** The direction as the other side sees it. */
function reversed(value) {
    return direction(RECEIVES.has(value), SENDS.has(value));
}

/** What an answerer whose transceiver wants mine may answer to an offered direction (JSEP 5.3.1). */
function answered(mine, offered) {
    const theirs = reversed(offered);
    return direction(SENDS.has(mine) && SENDS.has(theirs), RECEIVES.has(mine) && RECEIVES.has(theirs));
}

let nextPeerId = 1;

function domError(name, message) {
    return Object.assign(new Error(message), { name });
}

function parse(description) {
    return JSON.parse(description.sdp);
}

/** An RTCDTMFSender that keeps what was inserted. */
export class FakeDtmfSender {
    canInsertDTMF = true;
    inserted = [];

    insertDTMF(tones) {
        if (!this.canInsertDTMF) {
            throw domError("InvalidStateError", "cannot insert DTMF");
        }
        this.inserted.push(tones);
    }
}

/** One m-line's sender and receiver, as RTCRtpTransceiver. */
class FakeTransceiver {
    mid = null;
    currentDirection = null;
    // The direction in this side's current description of its m-line, for negotiationneeded.
    negotiatedDirection = null;
    // Whether ontrack announced the receiver's track and it has not been taken back since.
    receiving = false;
    // Whether the sender ever sent: such a sender is not reused by addTrack.
    hasSent = false;
    // The direction of the offer this side answered last, when it answered; else null.
    offeredAsRemote = null;
    #direction;
    #connection;

    constructor(connection, kind, { track = null, stream = null, direction = "sendrecv", fromAddTrack = false }) {
        this.#connection = connection;
        this.#direction = direction;
        this.fromAddTrack = fromAddTrack;
        this.stream = stream;
        const transceiver = this;
        this.sender = {
            track,
            // As in the browser, only an audio sender has an RTCDTMFSender.
            dtmf: kind === "audio" ? new FakeDtmfSender() : null,
            async replaceTrack(replacement) {
                await null;
                if (replacement && replacement.kind !== kind) {
                    throw Object.assign(new Error(`a ${replacement.kind} track on a ${kind} sender`), { name: "TypeError" });
                }
                this.track = replacement;
                connection.replacedTracks.push({ mid: transceiver.mid, kind, track: replacement });
            }
        };
        this.receiver = { track: new FakeTrack(kind) };
    }

    get kind() {
        return this.receiver.track.kind;
    }

    get direction() {
        return this.#direction;
    }

    // Changing the direction renegotiates, as in the browser.
    set direction(value) {
        this.#direction = value;
        this.#connection.directionChanged();
    }
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
    // Every replaceTrack() on a sender: {mid, kind, track}.
    replacedTracks = [];

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
    #remoteStreams = new Map();
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

    /** The kinds this side receives now, as both sides agreed (currentDirection), in m-line order. */
    get receivedKinds() {
        return this.#transceivers.filter(transceiver => RECEIVES.has(transceiver.currentDirection))
            .map(transceiver => transceiver.kind);
    }

    /** The kinds this side sends now, as both sides agreed, with a track on the sender. */
    get sentKinds() {
        return this.#transceivers.filter(transceiver => SENDS.has(transceiver.currentDirection) && transceiver.sender.track)
            .map(transceiver => transceiver.kind);
    }

    getTransceivers() {
        return [...this.#transceivers];
    }

    getSenders() {
        return this.#transceivers.map(transceiver => transceiver.sender);
    }

    getReceivers() {
        return this.#transceivers.map(transceiver => transceiver.receiver);
    }

    // Like the browser: a transceiver an offer created, or one of addTrack, whose sender never sent
    // and has no track, is reused for a track of its kind; anything else gets a new transceiver.
    addTrack(track, stream) {
        this.#requireOpen();
        if (this.#transceivers.some(transceiver => transceiver.sender.track === track)) {
            throw domError("InvalidAccessError", "the track is already sent");
        }
        const reusable = this.#transceivers.find(transceiver => transceiver.kind === track.kind
            && !transceiver.sender.track && !transceiver.hasSent);
        if (reusable) {
            reusable.sender.track = track;
            reusable.stream = stream || null;
            reusable.direction = SENDS.has(reusable.direction) ? reusable.direction : direction(true, RECEIVES.has(reusable.direction));
            return reusable.sender;
        }
        const transceiver = new FakeTransceiver(this, track.kind, { track, stream: stream || null, fromAddTrack: true });
        this.#transceivers.push(transceiver);
        this.#updateNegotiationNeeded();
        return transceiver.sender;
    }

    addTransceiver(kind, { direction: wanted = "sendrecv" } = {}) {
        this.#requireOpen();
        const transceiver = new FakeTransceiver(this, kind, { direction: wanted });
        this.#transceivers.push(transceiver);
        this.#updateNegotiationNeeded();
        return transceiver;
    }

    /** Called by a transceiver whose direction the page changed. */
    directionChanged() {
        if (this.signalingState !== "closed") {
            this.#updateNegotiationNeeded();
        }
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
            this.#agree(true);
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
            this.#agree(false);
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
            mlines: this.#transceivers.map(transceiver => ({
                mid: transceiver.mid, kind: transceiver.kind, direction: transceiver.direction,
                stream: transceiver.stream ? transceiver.stream.id : null
            }))
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
                return {
                    mid: mline.mid, kind: mline.kind, direction: answered(transceiver.direction, mline.direction),
                    stream: transceiver.stream ? transceiver.stream.id : null
                };
            })
        };
    }

    #associate(mline) {
        if (this.#transceivers.some(transceiver => transceiver.mid === mline.mid)) {
            return;
        }
        const fromAddTrack = this.#transceivers.find(transceiver => transceiver.mid === null && transceiver.fromAddTrack
            && transceiver.kind === mline.kind);
        if (fromAddTrack) {
            fromAddTrack.mid = mline.mid;
        } else {
            const created = new FakeTransceiver(this, mline.kind, { direction: "recvonly" });
            created.mid = mline.mid;
            this.#transceivers.push(created);
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

    // The other side sends on an m-line: its receiver's track joins the stream the other side named
    // (one stream object per id, as the browser keeps them) and ontrack announces it; it stops: the
    // track leaves its stream, and a later restart is announced again.
    #announceRemoteTracks(body) {
        for (const mline of body.mlines) {
            const transceiver = this.#transceivers.find(candidate => candidate.mid === mline.mid);
            if (!transceiver) {
                continue;
            }
            const track = transceiver.receiver.track;
            const stream = mline.stream === null ? null : this.#remoteStream(mline.stream);
            if (SENDS.has(mline.direction) && !transceiver.receiving) {
                transceiver.receiving = true;
                stream && stream.addTrack(track);
                setImmediate(() => this.signalingState !== "closed" && this.ontrack
                    && this.ontrack({ track, transceiver, receiver: transceiver.receiver, streams: stream ? [stream] : [] }));
            } else if (!SENDS.has(mline.direction) && transceiver.receiving) {
                transceiver.receiving = false;
                for (const known of this.#remoteStreams.values()) {
                    known.removeTrack(track);
                }
            }
        }
    }

    #remoteStream(id) {
        if (!this.#remoteStreams.has(id)) {
            this.#remoteStreams.set(id, new FakeMediaStream());
        }
        return this.#remoteStreams.get(id);
    }

    // Both descriptions are set: the direction of each m-line in the answer, as this side sees it,
    // becomes current.
    #agree(answerer) {
        const local = parse(this.#currentLocal);
        const remote = parse(this.#currentRemote);
        for (const mline of local.mlines) {
            const transceiver = this.#transceivers.find(candidate => candidate.mid === mline.mid);
            const theirs = remote.mlines.find(candidate => candidate.mid === mline.mid);
            if (!transceiver || !theirs) {
                continue;
            }
            transceiver.currentDirection = answerer ? mline.direction : reversed(theirs.direction);
            transceiver.negotiatedDirection = mline.direction;
            transceiver.offeredAsRemote = answerer ? theirs.direction : null;
            if (SENDS.has(transceiver.currentDirection) && transceiver.sender.track) {
                transceiver.hasSent = true;
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

    // As the WebRTC spec's "check if negotiation is needed": a transceiver in no m-line yet, or one
    // whose direction is not what this side's current description says (for an answerer: what it
    // could answer to the offer it answered).
    #negotiationNeeded() {
        return this.#restartPending || this.#transceivers.some(transceiver => {
            if (transceiver.mid === null) {
                return true;
            }
            if (transceiver.negotiatedDirection === null) {
                return false;
            }
            const wanted = transceiver.offeredAsRemote
                ? answered(transceiver.direction, transceiver.offeredAsRemote)
                : transceiver.direction;
            return wanted !== transceiver.negotiatedDirection;
        });
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
