// One call as the page sees it. The server owns the call's state; this object mirrors it, adds the
// failures only the browser can see (microphone, ICE), and runs the media for the call's lifetime.
//
// The client side talks to the line through a port: send(message), isConnected(), iceServers(),
// iceTransportPolicy(), register(callId, call) and unregister(callId). The handle* methods are the port's way back in
// and are not part of the page API.

const CALL_ID_BYTES = 16;
const HANGUP_REASON_LIMIT = 200;

// The dialling client names the call. crypto.randomUUID would be shorter, but it only exists on
// secure origins and the tutorial is often served over plain http on a LAN.
function newCallId() {
    const bytes = crypto.getRandomValues(new Uint8Array(CALL_ID_BYTES));
    return Array.from(bytes, byte => byte.toString(16).padStart(2, "0")).join("");
}

// A call only moves forward: not started, then ringing, then connected (or held), then over.
function callStateRank(state) {
    if (state === null) {
        return 0;
    }
    if (state === CallState.RINGING) {
        return 1;
    }
    return FINAL_CALL_STATES.has(state) ? 3 : 2;
}

class Call {
    #port;
    #id;
    #otherParty;
    #callType;
    #incoming;
    #state = null;
    #knownToServer;
    #answering = false;
    #stateChanges = new EventChannel("onCallStateChanged");
    #media = null;
    #negotiator = null;
    #playback = null;
    #earlySignals = [];

    constructor(port, { id, otherParty, callType, incoming }) {
        this.#port = port;
        this.#id = id;
        this.#otherParty = otherParty;
        this.#callType = callType === CallType.VIDEO ? CallType.VIDEO : CallType.AUDIO;
        this.#incoming = incoming;
        this.#knownToServer = incoming;
        if (incoming) {
            port.register(id, this);
            this.#moveTo(CallState.RINGING);
        }
    }

    start() {
        if (this.#incoming || this.#knownToServer || this.#isOver()) {
            log.warn(`start() ignored: ${this.#describe()} is incoming, already started or over`);
            return;
        }
        if (!this.#port.isConnected()) {
            this.#fail("not connected to a webphone line; start calls after ACCESS_GRANTED");
            return;
        }
        this.#knownToServer = true;
        this.#port.register(this.#id, this);
        this.#acquireMedia();
        this.#port.send({ type: "dial", callId: this.#id, to: this.#otherParty, callType: this.#callType });
    }

    // The microphone comes first: the caller only sees IN_CALL once this side can really talk.
    accept() {
        if (!this.#incoming || this.#state !== CallState.RINGING || this.#answering) {
            log.warn(`accept() ignored: ${this.#describe()} is not an incoming call waiting for an answer`);
            return;
        }
        this.#answering = true;
        this.#acquireMedia().then(() => {
            if (this.#state === CallState.RINGING) {
                this.#port.send({ type: "accept", callId: this.#id });
            }
        }, () => {});
    }

    reject() {
        if (!this.#incoming || this.#state !== CallState.RINGING) {
            log.warn(`reject() ignored: ${this.#describe()} is not an incoming call waiting for an answer`);
            return;
        }
        this.#port.send({ type: "reject", callId: this.#id });
        this.#moveTo(CallState.COMPLETED, "rejected");
    }

    hangUp() {
        if (this.#isOver()) {
            return;
        }
        if (this.#knownToServer && this.#port.isConnected()) {
            this.#port.send({ type: "hangup", callId: this.#id });
        }
        this.#moveTo(CallState.COMPLETED, "hung up");
    }

    onCallStateChanged(handler) {
        this.#stateChanges.add(handler);
    }

    getCallState() {
        return this.#state;
    }

    getOtherParty() {
        return this.#otherParty;
    }

    handleCallState({ state, reason, otherParty, offerer }) {
        if (!Object.values(CallState).includes(state)) {
            log.warn(`ignored unknown state "${state}" for ${this.#describe()}`);
            return;
        }
        if (otherParty) {
            this.#otherParty = otherParty;
        }
        // IN_CALL can come back after HOLD; the media set up the first time is still running.
        if (this.#moveTo(state, reason) && state === CallState.IN_CALL && !this.#negotiator) {
            this.#connectMedia(offerer === true);
        }
    }

    handleSignal(message) {
        if (this.#isOver()) {
            return;
        }
        const signal = message.type === "sdp"
            ? { description: message.description }
            : { candidate: message.candidate };
        if (this.#negotiator) {
            this.#negotiator.receive(signal);
        } else {
            this.#earlySignals.push(signal);
        }
    }

    // A refusal before the call is up means it cannot go ahead; once it is up, one refused
    // message (a late candidate, say) is not worth dropping the conversation for.
    handleError({ code, message }) {
        if (this.#isOver()) {
            return;
        }
        if (this.#state === null || this.#state === CallState.RINGING) {
            this.#fail(`the server refused the call: ${code} ${message || ""}`.trim());
        } else {
            log.warn(`the server refused a message of ${this.#describe()}: ${code} ${message || ""}`);
        }
    }

    handleConnectionLost(reason = "the server connection was lost") {
        if (!this.#isOver()) {
            log.warn(`${this.#describe()} ended: ${reason}`);
            this.#moveTo(CallState.COMPLETED, reason);
        }
    }

    // The session came back on a new connection with this call as the server holds it: a connected
    // call stays IN_CALL, and the side that makes the offers restarts ICE so media finds a path again.
    handleResumed({ state, otherParty, offerer }, iceServers) {
        this.handleCallState({ state, otherParty });
        if (state === CallState.IN_CALL && offerer === true) {
            this.restartIce(iceServers);
        }
    }

    // The server asks for an ICE restart (the other party is back after a lost connection).
    restartIce(iceServers = this.#port.iceServers()) {
        if (this.#negotiator && !this.#isOver()) {
            this.#negotiator.restartIce(iceServers);
        }
    }

    #acquireMedia() {
        this.#media = new LocalMedia(this.#callType);
        const granted = this.#media.stream;
        granted.catch(failure => this.#fail(failure.message));
        return granted;
    }

    #connectMedia(offerer) {
        if (!this.#media) {
            this.#fail("the server connected a call this client never started or answered");
            return;
        }
        this.#playback = new RemotePlayback(this.#id);
        this.#negotiator = new Negotiator({
            iceServers: this.#port.iceServers(),
            iceTransportPolicy: this.#port.iceTransportPolicy(),
            localStream: this.#media.stream,
            offerer,
            onSignal: signal => this.#port.send(signal.description
                ? { type: "sdp", callId: this.#id, description: signal.description }
                : { type: "ice", callId: this.#id, candidate: signal.candidate }),
            onRemoteStream: stream => this.#playback.play(stream),
            onFailure: reason => this.#fail(reason)
        });
        this.#earlySignals.splice(0).forEach(signal => this.#negotiator.receive(signal));
    }

    // Failures the browser sees end the call as ERROR; the server hears the reason and tells the
    // other party COMPLETED.
    #fail(reason) {
        if (this.#isOver()) {
            return;
        }
        log.error(`${this.#describe()} failed: ${reason}`);
        if (this.#knownToServer && this.#port.isConnected()) {
            this.#port.send({ type: "hangup", callId: this.#id, reason: reason.slice(0, HANGUP_REASON_LIMIT) });
        }
        this.#moveTo(CallState.ERROR, reason);
    }

    // The one place the state changes. Repeats (the server confirming what this side already
    // did) and moves backwards or out of a final state are dropped.
    #moveTo(state, reason) {
        const previous = this.#state;
        if (state === previous || this.#isOver()) {
            return false;
        }
        if (callStateRank(state) < callStateRank(previous)) {
            log.warn(`ignored ${previous} -> ${state} for ${this.#describe()}`);
            return false;
        }
        this.#state = state;
        log.debug(`${this.#describe()}: ${previous || "NEW"} -> ${state}${reason ? " (" + reason + ")" : ""}`);
        this.#stateChanges.emit(state);
        if (FINAL_CALL_STATES.has(state)) {
            this.#releaseResources();
        }
        return true;
    }

    #releaseResources() {
        if (this.#negotiator) {
            this.#negotiator.close();
        }
        if (this.#media) {
            this.#media.release();
        }
        if (this.#playback) {
            this.#playback.stop();
        }
        this.#port.unregister(this.#id);
    }

    #isOver() {
        return FINAL_CALL_STATES.has(this.#state);
    }

    #describe() {
        const direction = this.#incoming ? "from" : "to";
        return `call ${this.#id} ${direction} ${this.#otherParty || "(default route)"}`;
    }
}
