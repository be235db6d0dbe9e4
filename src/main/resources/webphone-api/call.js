// One call as the page sees it. The server owns the call's state; this object mirrors it, adds the
// failures only the browser can see (microphone, ICE), and runs the media for the call's lifetime.
//
// The client side talks to the line through a port: send(message), isConnected(), iceServers(),
// iceTransportPolicy(), PeerConnection (optional, the RTCPeerConnection implementation),
// register(callId, call) and unregister(callId). The handle* methods are the port's way back in
// and are not part of the page API.

const CALL_ID_BYTES = 16;
const HANGUP_REASON_LIMIT = 200;

// The dialling client names the call. crypto.randomUUID would be shorter, but it only exists on
// secure origins and the tutorial is often served over plain http on a LAN.
function newCallId() {
    const bytes = crypto.getRandomValues(new Uint8Array(CALL_ID_BYTES));
    return Array.from(bytes, byte => byte.toString(16).padStart(2, "0")).join("");
}

// The phases of a Call's life: one value instead of flags, so "what may happen now" has one answer.
// The phase decides the CallState the page sees (CALL_STATE_OF_PHASE); the phases before the answer
// are finer than the server's RINGING because this side does different things in each.
const CallPhase = Object.freeze({
    /** Made by createCall(), not started; getCallState() is null. Becomes DIALLING on start(). */
    NEW: "NEW",
    /** dial sent, the server has not answered yet; getCallState() is still null. Becomes RINGING,
     *  IN_CALL (simultaneous dialling), BUSY or NOT_FOUND as the server says. */
    DIALLING: "DIALLING",
    /** Outgoing, the other party is being alerted. Becomes IN_CALL, REJECTED or NOT_ANSWERED. */
    RINGING: "RINGING",
    /** Incoming, waiting for the page. Becomes ANSWERING on accept(), COMPLETED on reject(). */
    INCOMING: "INCOMING",
    /** Incoming, accept() called: the microphone first, then accept to the server. Becomes IN_CALL. */
    ANSWERING: "ANSWERING",
    /** Answered; media is negotiated and flows. Becomes HOLD, or ends COMPLETED. */
    IN_CALL: "IN_CALL",
    /** Held by either party; the media stays set up. Becomes IN_CALL again, or ends COMPLETED. */
    HOLD: "HOLD",
    // The final phases, named after the CallState each shows; nothing leaves them.
    COMPLETED: "COMPLETED",
    REJECTED: "REJECTED",
    BUSY: "BUSY",
    NOT_FOUND: "NOT_FOUND",
    NOT_ANSWERED: "NOT_ANSWERED",
    /** A failure this browser saw (microphone, ICE, a refused message); the server is told. */
    ERROR: "ERROR"
});

const CALL_STATE_OF_PHASE = Object.freeze({
    NEW: null,
    DIALLING: null,
    RINGING: CallState.RINGING,
    INCOMING: CallState.RINGING,
    ANSWERING: CallState.RINGING,
    IN_CALL: CallState.IN_CALL,
    HOLD: CallState.HOLD,
    COMPLETED: CallState.COMPLETED,
    REJECTED: CallState.REJECTED,
    BUSY: CallState.BUSY,
    NOT_FOUND: CallState.NOT_FOUND,
    NOT_ANSWERED: CallState.NOT_ANSWERED,
    ERROR: CallState.ERROR
});

// What moves a call: the page's methods, what this browser sees, and each state the server announces
// ("server:" and the CallState it sent).
const CallEvent = Object.freeze({
    START: "start",
    ACCEPT: "accept",
    REJECT: "reject",
    HANG_UP: "hangUp",
    FAIL: "fail",
    CONNECTION_LOST: "connectionLost",
    server: state => `server:${state}`
});

// A legal event that changes nothing: the server repeating a state, a second hangUp().
const STAY = "STAY";

// Every phase a live call can leave by the page hanging up, a failure, or a lost server connection.
function liveCallEnds(extra) {
    return Object.freeze({
        [CallEvent.HANG_UP]: CallPhase.COMPLETED,
        [CallEvent.FAIL]: CallPhase.ERROR,
        [CallEvent.CONNECTION_LOST]: CallPhase.COMPLETED,
        [CallEvent.server(CallState.COMPLETED)]: CallPhase.COMPLETED,
        ...extra
    });
}

// After the end only echoes arrive: a second hangUp(), a failure of media being torn down, the
// connection closing. Everything else is a mistake of the page or the server.
const AFTER_THE_END = Object.freeze({
    [CallEvent.HANG_UP]: STAY,
    [CallEvent.FAIL]: STAY,
    [CallEvent.CONNECTION_LOST]: STAY
});

// The one transition table. It mirrors the server's (docs/protocol.md, "Call states"): BUSY and
// NOT_FOUND come only instead of RINGING, REJECTED only to a caller whose call was ringing, and an
// answered call ends only COMPLETED. A pair missing here is an illegal move.
const CALL_TRANSITIONS = Object.freeze({
    NEW: Object.freeze({
        [CallEvent.START]: CallPhase.DIALLING,
        [CallEvent.HANG_UP]: CallPhase.COMPLETED,
        [CallEvent.FAIL]: CallPhase.ERROR
    }),
    DIALLING: liveCallEnds({
        [CallEvent.server(CallState.RINGING)]: CallPhase.RINGING,
        // Simultaneous dialling: the other side's ringing call was connected under this call's id.
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.server(CallState.BUSY)]: CallPhase.BUSY,
        [CallEvent.server(CallState.NOT_FOUND)]: CallPhase.NOT_FOUND
    }),
    RINGING: liveCallEnds({
        [CallEvent.server(CallState.RINGING)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.server(CallState.REJECTED)]: CallPhase.REJECTED,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    INCOMING: liveCallEnds({
        [CallEvent.ACCEPT]: CallPhase.ANSWERING,
        [CallEvent.REJECT]: CallPhase.COMPLETED,
        [CallEvent.server(CallState.RINGING)]: STAY,
        // The server connected a call this page never answered: it has no microphone to talk with.
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.ERROR,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    ANSWERING: liveCallEnds({
        [CallEvent.ACCEPT]: STAY,
        [CallEvent.server(CallState.RINGING)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    IN_CALL: liveCallEnds({
        [CallEvent.server(CallState.IN_CALL)]: STAY,
        [CallEvent.server(CallState.HOLD)]: CallPhase.HOLD
    }),
    HOLD: liveCallEnds({
        [CallEvent.server(CallState.HOLD)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL
    }),
    COMPLETED: AFTER_THE_END,
    REJECTED: AFTER_THE_END,
    BUSY: AFTER_THE_END,
    NOT_FOUND: AFTER_THE_END,
    NOT_ANSWERED: AFTER_THE_END,
    ERROR: AFTER_THE_END
});

/** An event the transition table does not allow in the call's phase. */
class IllegalCallTransition extends Error {
    constructor(phase, event) {
        super(`${event} is not allowed in phase ${phase}`);
        this.name = "IllegalCallTransition";
        this.phase = phase;
        this.event = event;
    }
}

// Pure, so that every pair of phase and event can be tested alone.
function nextCallPhase(phase, event) {
    const owns = (table, key) => Object.prototype.hasOwnProperty.call(table, key);
    const next = owns(CALL_TRANSITIONS, phase) && owns(CALL_TRANSITIONS[phase], event)
        ? CALL_TRANSITIONS[phase][event] : undefined;
    if (next === undefined) {
        throw new IllegalCallTransition(phase, event);
    }
    return next === STAY ? phase : next;
}

function isFinalPhase(phase) {
    return FINAL_CALL_STATES.has(CALL_STATE_OF_PHASE[phase]);
}

// What getEndReason() says when the server ended a call without giving a reason.
const SERVER_END_REASONS = Object.freeze({
    COMPLETED: "the other party ended the call",
    REJECTED: "the other party rejected the call",
    BUSY: "the other party is in another call",
    NOT_FOUND: "no client with this number is online",
    NOT_ANSWERED: "nobody answered in time"
});

// Page methods of the contract that this client does not implement yet: each throws an Error that
// names it, rather than the TypeError of calling something undefined.
const CALL_METHODS_NOT_SUPPORTED = Object.freeze([
    "hold", "unHold", "unhold", "sendMessage", "onMessageReceived", "transfer", "forward",
    "setRemoteDisplay", "attachCamera"
]);

function notSupported(name) {
    const error = new Error(`WebphoneAPI: ${name}() is not supported by this server yet`);
    error.name = "NotSupportedError";
    return error;
}

class Call {
    #port;
    #id;
    #otherParty;
    #callType;
    #incoming;
    #phase = CallPhase.NEW;
    #endReason = null;
    #stateChanges = new EventChannel("onCallStateChanged");
    // Resources, not state: each exists from the phase that needs it until the call ends.
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
        if (incoming) {
            port.register(id, this);
            this.#phase = CallPhase.INCOMING;
            this.#stateChanges.emit(CallState.RINGING);
        }
    }

    start() {
        if (this.#phase === CallPhase.NEW && !this.#port.isConnected()) {
            this.#fail("not connected to a webphone line; start calls after ACCESS_GRANTED");
            return;
        }
        if (this.#apply(CallEvent.START)) {
            this.#port.register(this.#id, this);
            this.#acquireMedia();
            this.#port.send({ type: "dial", callId: this.#id, to: this.#otherParty, callType: this.#callType });
        }
    }

    // The microphone comes first: the caller only sees IN_CALL once this side can really talk.
    accept() {
        if (this.#apply(CallEvent.ACCEPT)) {
            this.#acquireMedia().then(() => {
                if (this.#phase === CallPhase.ANSWERING) {
                    this.#port.send({ type: "accept", callId: this.#id });
                }
            }, () => {});
        }
    }

    reject() {
        if (this.#apply(CallEvent.REJECT, "rejected by this side")) {
            this.#port.send({ type: "reject", callId: this.#id });
        }
    }

    hangUp() {
        const before = this.#phase;
        if (this.#apply(CallEvent.HANG_UP, "hung up by this side")
                && before !== CallPhase.NEW && this.#port.isConnected()) {
            this.#port.send({ type: "hangup", callId: this.#id });
        }
    }

    onCallStateChanged(handler) {
        this.#stateChanges.add(handler);
    }

    getCallState() {
        return CALL_STATE_OF_PHASE[this.#phase];
    }

    getOtherParty() {
        return this.#otherParty;
    }

    // Why the call ended, in words; null while it has not. Ours: the references have no such thing.
    getEndReason() {
        return this.#endReason;
    }

    handleCallState({ state, reason, otherParty, offerer }) {
        if (!Object.values(CallState).includes(state)) {
            log.warn(`ignored unknown state "${state}" for ${this.#describe()}`);
            return;
        }
        if (otherParty) {
            this.#otherParty = otherParty;
        }
        const before = this.#phase;
        const explanation = reason || SERVER_END_REASONS[state] || `the server reported ${state} in phase ${before}`;
        if (!this.#apply(CallEvent.server(state), explanation)) {
            return;
        }
        if (this.#phase === CallPhase.ERROR) {
            this.#tellServerOfFailure(explanation);
        } else if (this.#phase === CallPhase.IN_CALL && before !== CallPhase.HOLD) {
            this.#connectMedia(offerer === true);
        }
    }

    handleSignal(message) {
        if (isFinalPhase(this.#phase)) {
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
        if (isFinalPhase(this.#phase)) {
            return;
        }
        if (CALL_STATE_OF_PHASE[this.#phase] === null || CALL_STATE_OF_PHASE[this.#phase] === CallState.RINGING) {
            this.#fail(`the server refused the call: ${code} ${message || ""}`.trim());
        } else {
            log.warn(`the server refused a message of ${this.#describe()}: ${code} ${message || ""}`);
        }
    }

    handleConnectionLost(reason = "the server connection was lost") {
        if (this.#apply(CallEvent.CONNECTION_LOST, reason)) {
            log.warn(`${this.#describe()} ended: ${reason}`);
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

    // Ours: the call's quality now, a promise of {roundTripTimeMs, jitterMs, lossPercent, receiveKbps,
    // sendKbps, localLevel, remoteLevel} (null values where the browser reports nothing yet); null
    // while no media is set up or once the call is over.
    getQuality() {
        if (!this.#negotiator || isFinalPhase(this.#phase)) {
            return Promise.resolve(null);
        }
        return this.#negotiator.quality().catch(failure => {
            log.debug(`no quality for ${this.#describe()}: ${failure.message || failure}`);
            return null;
        });
    }

    // The server asks for an ICE restart (the other party is back after a lost connection).
    restartIce(iceServers = this.#port.iceServers()) {
        if (this.#negotiator && !isFinalPhase(this.#phase)) {
            log.info(`${this.#describe()}: restarting ICE, a party is back after a lost connection`);
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
            onFailure: reason => this.#fail(reason),
            ...(this.#port.PeerConnection ? { PeerConnection: this.#port.PeerConnection } : {})
        });
        this.#earlySignals.splice(0).forEach(signal => this.#negotiator.receive(signal));
    }

    // Failures the browser sees end the call as ERROR; the server hears the reason and tells the
    // other party COMPLETED.
    #fail(reason) {
        const before = this.#phase;
        if (this.#apply(CallEvent.FAIL, reason) && before !== CallPhase.NEW) {
            this.#tellServerOfFailure(reason);
        }
    }

    #tellServerOfFailure(reason) {
        if (this.#port.isConnected()) {
            this.#port.send({ type: "hangup", callId: this.#id, reason: reason.slice(0, HANGUP_REASON_LIMIT) });
        }
    }

    // The one place the phase changes. Repeats are dropped quietly, illegal moves loudly; the page
    // hears of the change only when the CallState it sees changes.
    #apply(event, reason) {
        const previous = this.#phase;
        let next;
        try {
            next = nextCallPhase(previous, event);
        } catch (illegal) {
            log.warn(`ignored ${event} for ${this.#describe()}: ${illegal.message}`);
            return false;
        }
        if (next === previous) {
            return false;
        }
        this.#phase = next;
        log.debug(`${this.#describe()}: ${previous} -> ${next}${reason ? " (" + reason + ")" : ""}`);
        if (isFinalPhase(next)) {
            this.#endReason = reason || SERVER_END_REASONS[next] || next;
        }
        if (next === CallPhase.ERROR) {
            log.error(`${this.#describe()} failed: ${this.#endReason}`);
        }
        const state = CALL_STATE_OF_PHASE[next];
        if (state !== CALL_STATE_OF_PHASE[previous]) {
            this.#stateChanges.emit(state);
        }
        if (isFinalPhase(next)) {
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
        this.#earlySignals.length = 0;
        this.#port.unregister(this.#id);
    }

    #describe() {
        const direction = this.#incoming ? "from" : "to";
        return `call ${this.#id} ${direction} ${this.#otherParty || "(default route)"}`;
    }
}

for (const name of CALL_METHODS_NOT_SUPPORTED) {
    Object.defineProperty(Call.prototype, name, {
        value: function () {
            throw notSupported(`Call.${name}`);
        },
        writable: true,
        configurable: true
    });
}
