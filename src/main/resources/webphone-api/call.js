// One call as the page sees it. The server owns the call's state; this object mirrors it, adds the
// failures only the browser can see (microphone, ICE), and runs the media for the call's lifetime.
//
// The client side talks to the line through a port: send(message), isConnected(), iceServers(),
// iceTransportPolicy(), PeerConnection (optional, the RTCPeerConnection implementation),
// register(callId, call) and unregister(callId). The handle* methods are the port's way back in
// and are not part of the page API.

const CALL_ID_BYTES = 16;
const HANGUP_REASON_LIMIT = 200;
// What the server accepts (docs/protocol.md): a chat message of 1 to 2000 UTF-16 code units, and
// 1 to 32 DTMF digits.
const MESSAGE_TEXT_LIMIT = 2000;
const DTMF_DIGITS = /^[0-9*#A-D]{1,32}$/;

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
    /** Outgoing, the other party is being alerted; also a call forwarded or transferred to a new
     *  other party, until it answers. Becomes IN_CALL, REJECTED or NOT_ANSWERED. */
    RINGING: "RINGING",
    /** Incoming, waiting for the page. Becomes ANSWERING on accept(), COMPLETED on reject(),
     *  FORWARDING on forward(). */
    INCOMING: "INCOMING",
    /** Incoming, forward() sent: still RINGING for the page until the server confirms (COMPLETED,
     *  the call is the target's now) or refuses (back to INCOMING). */
    FORWARDING: "FORWARDING",
    /** Incoming, accept() called: the microphone first, then accept to the server. Becomes IN_CALL. */
    ANSWERING: "ANSWERING",
    /** Answered; media is negotiated and flows. Becomes HOLD, TRANSFERRING on transfer(), RINGING
     *  when the other party transfers this side elsewhere, or ends COMPLETED. */
    IN_CALL: "IN_CALL",
    /** transfer() sent: still IN_CALL for the page, media flowing, until the server confirms
     *  (COMPLETED, the other party rings at the target) or refuses (back to IN_CALL). */
    TRANSFERRING: "TRANSFERRING",
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
    FORWARDING: CallState.RINGING,
    ANSWERING: CallState.RINGING,
    IN_CALL: CallState.IN_CALL,
    TRANSFERRING: CallState.IN_CALL,
    HOLD: CallState.HOLD,
    COMPLETED: CallState.COMPLETED,
    REJECTED: CallState.REJECTED,
    BUSY: CallState.BUSY,
    NOT_FOUND: CallState.NOT_FOUND,
    NOT_ANSWERED: CallState.NOT_ANSWERED,
    ERROR: CallState.ERROR
});

// What moves a call: the page's methods, what this browser sees, each state the server announces
// ("server:" and the CallState it sent), each state a forward or transfer brings ("redirected:",
// the server's call-state with redirect), and the server's refusal of a forward or transfer.
const CallEvent = Object.freeze({
    START: "start",
    ACCEPT: "accept",
    REJECT: "reject",
    FORWARD: "forward",
    TRANSFER: "transfer",
    REFUSED: "refused",
    HANG_UP: "hangUp",
    FAIL: "fail",
    CONNECTION_LOST: "connectionLost",
    // Requests the server decides: the phase stays until it announces the outcome.
    HOLD: "hold",
    UNHOLD: "unhold",
    SEND_MESSAGE: "sendMessage",
    SEND_DTMF: "sendDtmf",
    server: state => `server:${state}`,
    redirected: state => `redirected:${state}`
});

// A legal event that changes nothing: the server repeating a state, a second hangUp(), a request
// whose outcome the server announces (hold(), sendMessage()).
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
// NOT_FOUND come instead of RINGING (a browser callee) or after it (a SIP phone, which turns a call
// down only once it has it), REJECTED only to a caller whose call was ringing, and an answered call
// ends only COMPLETED. A pair missing here is an illegal move.
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
        // The callee forwarded the call: it rings at the target now.
        [CallEvent.redirected(CallState.RINGING)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.server(CallState.REJECTED)]: CallPhase.REJECTED,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED,
        // A SIP phone: busy, or not there, once the INVITE that needed this side's offer reached it.
        [CallEvent.server(CallState.BUSY)]: CallPhase.BUSY,
        [CallEvent.server(CallState.NOT_FOUND)]: CallPhase.NOT_FOUND
    }),
    INCOMING: liveCallEnds({
        [CallEvent.ACCEPT]: CallPhase.ANSWERING,
        [CallEvent.REJECT]: CallPhase.COMPLETED,
        [CallEvent.FORWARD]: CallPhase.FORWARDING,
        [CallEvent.server(CallState.RINGING)]: STAY,
        // The server connected a call this page never answered: it has no microphone to talk with.
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.ERROR,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    FORWARDING: liveCallEnds({
        [CallEvent.server(CallState.RINGING)]: STAY,
        [CallEvent.redirected(CallState.COMPLETED)]: CallPhase.COMPLETED,
        [CallEvent.REFUSED]: CallPhase.INCOMING,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    ANSWERING: liveCallEnds({
        [CallEvent.ACCEPT]: STAY,
        [CallEvent.server(CallState.RINGING)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.server(CallState.NOT_ANSWERED)]: CallPhase.NOT_ANSWERED
    }),
    IN_CALL: liveCallEnds({
        [CallEvent.HOLD]: STAY,
        [CallEvent.SEND_MESSAGE]: STAY,
        [CallEvent.SEND_DTMF]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: STAY,
        [CallEvent.server(CallState.HOLD)]: CallPhase.HOLD,
        [CallEvent.TRANSFER]: CallPhase.TRANSFERRING,
        // The other party transferred this side: it rings at the target, with media to set up anew.
        [CallEvent.redirected(CallState.RINGING)]: CallPhase.RINGING,
        // A transfer asked for on hold, refused once the call was taken off hold: it goes on.
        [CallEvent.REFUSED]: STAY
    }),
    // The call goes on while the server decides; a hold meanwhile leaves the transfer waiting in HOLD.
    TRANSFERRING: liveCallEnds({
        [CallEvent.SEND_MESSAGE]: STAY,
        [CallEvent.SEND_DTMF]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: STAY,
        [CallEvent.server(CallState.HOLD)]: CallPhase.HOLD,
        [CallEvent.redirected(CallState.COMPLETED)]: CallPhase.COMPLETED,
        [CallEvent.REFUSED]: CallPhase.IN_CALL,
        // Both parties transferred at once, and the other's went first.
        [CallEvent.redirected(CallState.RINGING)]: CallPhase.RINGING
    }),
    // Either party holds, and either takes the call off hold, whoever held it. A transfer asked for
    // here waits in HOLD, as hold() waits in IN_CALL: the page sees the call held until the server says.
    HOLD: liveCallEnds({
        [CallEvent.UNHOLD]: STAY,
        [CallEvent.SEND_MESSAGE]: STAY,
        [CallEvent.SEND_DTMF]: STAY,
        [CallEvent.TRANSFER]: STAY,
        [CallEvent.server(CallState.HOLD)]: STAY,
        [CallEvent.server(CallState.IN_CALL)]: CallPhase.IN_CALL,
        [CallEvent.redirected(CallState.COMPLETED)]: CallPhase.COMPLETED,
        [CallEvent.REFUSED]: STAY,
        // Transferred by the other party while held: it rings at the target, no longer held.
        [CallEvent.redirected(CallState.RINGING)]: CallPhase.RINGING
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
// names it, rather than the TypeError of calling something undefined. None now; a method the contract
// gains goes here until it is implemented.
const CALL_METHODS_NOT_SUPPORTED = Object.freeze([]);

// What onMessageReceived and onDtmfReceived handlers get: a String object, so that a page may use it
// as the text itself (message == "hi", element.textContent = message) or read its fields.
function partyEvent(content, fields) {
    return Object.freeze(Object.assign(new String(content), fields));
}

// The rejection of a forward() or transfer() promise: code is the server's error code (BUSY,
// NOT_FOUND, INVALID_TARGET, INVALID_STATE, UNKNOWN_CALL), or this client's own when it never got
// that far (INVALID_TARGET, INVALID_STATE, NOT_CONNECTED) or the call ended first (CALL_ENDED).
function redirectRefused(method, code, detail) {
    const error = new Error(`WebphoneAPI: Call.${method}() refused: ${code}${detail ? " " + detail : ""}`);
    error.name = "RedirectRefusedError";
    error.code = code;
    return error;
}

function notSupported(name) {
    const error = new Error(`WebphoneAPI: ${name}() is not supported by this server yet`);
    error.name = "NotSupportedError";
    return error;
}

// The phases in which attachCamera() may turn the camera on: from start() or accept() on (the camera
// joins what the call will send), and in the call (a renegotiation). Not on hold: nothing is sent.
const CAMERA_PHASES = new Set([CallPhase.DIALLING, CallPhase.RINGING, CallPhase.ANSWERING, CallPhase.IN_CALL,
    CallPhase.TRANSFERRING]);

function invalidState(method, why) {
    const error = new Error(`WebphoneAPI: ${method} ${why}`);
    error.name = "InvalidStateError";
    return error;
}

class Call {
    #port;
    #id;
    #otherParty;
    // The type the call was made with (dial, incoming), and the type it has now: see #updateCallType.
    #declaredType;
    #callType;
    #incoming;
    #phase = CallPhase.NEW;
    #endReason = null;
    #stateChanges = new EventChannel("onCallStateChanged");
    #typeChanges = new EventChannel("onCallTypeChanged");
    #messages = new EventChannel("onMessageReceived");
    #dtmf = new EventChannel("onDtmfReceived");
    // Ours: the microphone is silenced, locally only; the call's state does not change.
    #muted = false;
    #otherPartyChanges = new EventChannel("onOtherPartyChanged");
    // The forward() or transfer() waiting for the server's word: {method, resolve, reject}. It waits in
    // FORWARDING or TRANSFERRING, or in HOLD (asked for on hold, or overtaken by a hold).
    #redirect = null;
    // Resources, not state: each exists from the phase that needs it until the call ends.
    #media = null;
    #negotiator = null;
    #playback = null;
    #earlySignals = [];
    // The other side's video tracks as last negotiated; null until the first negotiation is through.
    #remoteVideo = null;
    #remoteDisplay;
    #localDisplay;

    constructor(port, { id, otherParty, callType, incoming }) {
        this.#port = port;
        this.#id = id;
        this.#otherParty = otherParty;
        this.#declaredType = callType === CallType.VIDEO ? CallType.VIDEO : CallType.AUDIO;
        this.#callType = this.#declaredType;
        this.#incoming = incoming;
        this.#remoteDisplay = new VideoDisplay(id, "remote");
        this.#localDisplay = new VideoDisplay(id, "local");
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

    // Sends a ringing incoming call on to target (through the line's dial plan; "" is its default
    // route). A promise: resolved once the server confirms (the call is the target's now, and ends
    // here COMPLETED), rejected with a RedirectRefusedError when it refuses (the call rings on here).
    forward(target) {
        return this.#redirectTo("forward", CallEvent.FORWARD, target);
    }

    // Blind transfer of a connected call: the other party rings at target, and this side leaves the
    // call. A promise, as forward()'s; the call goes on here until the server confirms.
    transfer(target) {
        return this.#redirectTo("transfer", CallEvent.TRANSFER, target);
    }

    // Ours: fn(otherParty) when the call's other party changes: this side's call was forwarded or
    // transferred by the other party, and now rings at the number given.
    onOtherPartyChanged(handler) {
        this.#otherPartyChanges.add(handler);
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

    // Both parties hear HOLD once the server agrees; while held nothing is sent either way.
    hold() {
        if (this.#request(CallEvent.HOLD)) {
            this.#port.send({ type: "hold", callId: this.#id });
        }
    }

    // The tutorial's spelling; unhold() is the other references'.
    unHold() {
        if (this.#request(CallEvent.UNHOLD)) {
            this.#port.send({ type: "unhold", callId: this.#id });
        }
    }

    unhold() {
        this.unHold();
    }

    // Ours: the other party hears silence until unMute(); the call stays IN_CALL. Works in any live
    // phase, also before the microphone is granted.
    mute() {
        this.#setMuted(true);
    }

    unMute() {
        this.#setMuted(false);
    }

    unmute() {
        this.unMute();
    }

    isMuted() {
        return this.#muted;
    }

    // A chat message for the other party, in IN_CALL or HOLD. Returns whether it was sent.
    sendMessage(text) {
        const message = text === undefined || text === null ? "" : String(text);
        if (message.length === 0 || message.length > MESSAGE_TEXT_LIMIT) {
            log.warn(`sendMessage() ignored for ${this.#describe()}: a message has 1 to ${MESSAGE_TEXT_LIMIT} characters, `
                + `this one ${message.length}`);
            return false;
        }
        if (!this.#request(CallEvent.SEND_MESSAGE)) {
            return false;
        }
        this.#port.send({ type: "message", callId: this.#id, text: message });
        return true;
    }

    // fn(message) for each message of the other party: a String object with .text and .from.
    onMessageReceived(handler) {
        this.#messages.add(handler);
    }

    // Ours: keypad digits (0-9, *, #, A-D), as RFC 4733 tones in the audio and as an event on the
    // other party's page (onDtmfReceived). Returns whether they were sent.
    sendDtmf(digits) {
        const keys = digits === undefined || digits === null ? "" : String(digits).toUpperCase();
        if (!DTMF_DIGITS.test(keys)) {
            log.warn(`sendDtmf() ignored for ${this.#describe()}: "${keys.slice(0, 40)}" is not 1 to 32 of 0-9, *, #, A-D`);
            return false;
        }
        if (!this.#request(CallEvent.SEND_DTMF)) {
            return false;
        }
        this.#negotiator.insertDtmf(keys);
        this.#port.send({ type: "dtmf", callId: this.#id, digits: keys });
        return true;
    }

    // Ours: fn(digits) for each sendDtmf() of the other party: a String object with .digits and .from.
    onDtmfReceived(handler) {
        this.#dtmf.add(handler);
    }

    // Why the call ended, in words; null while it has not. Ours: the references have no such thing.
    getEndReason() {
        return this.#endReason;
    }

    handleCallState({ state, reason, otherParty, offerer, redirect }) {
        if (!Object.values(CallState).includes(state)) {
            log.warn(`ignored unknown state "${state}" for ${this.#describe()}`);
            return;
        }
        if (redirect) {
            this.#redirected(state, otherParty, reason || redirect);
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
        } else if (this.#phase === CallPhase.IN_CALL && before === CallPhase.HOLD) {
            this.#negotiator.resumeSending();
        } else if (this.#phase === CallPhase.IN_CALL && !this.#negotiator) {
            this.#connectMedia(offerer === true);
        } else if (this.#phase === CallPhase.RINGING && offerer === true && !this.#negotiator) {
            // An early offer: the callee is a SIP phone, which needs this side's offer before it rings.
            this.#connectMedia(true);
        } else if (this.#phase === CallPhase.HOLD) {
            // The media session stays up, so that taking the call off hold is instant.
            this.#negotiator.pauseSending();
        }
    }

    // A chat message or DTMF digits from the other party of the call.
    handlePartyMessage(message) {
        if (![CallPhase.IN_CALL, CallPhase.TRANSFERRING, CallPhase.HOLD].includes(this.#phase)) {
            log.debug(`ignored a ${message.type} for ${this.#describe()} in phase ${this.#phase}`);
            return;
        }
        if (message.type === "message" && typeof message.text === "string") {
            this.#messages.emit(partyEvent(message.text, { text: message.text, from: this.#otherParty }));
        } else if (message.type === "dtmf" && typeof message.digits === "string") {
            this.#dtmf.emit(partyEvent(message.digits, { digits: message.digits, from: this.#otherParty }));
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

    // A refusal while a forward or transfer waits is that request's (the only request of a call that
    // waits for an answer): the call goes on as it was. A refusal of the dial or the answer means the
    // call cannot go ahead. Otherwise one refused message (a late candidate, an offer sent just before
    // a transfer made the call ring elsewhere) is not worth dropping the conversation for.
    handleError({ code, message }) {
        if (isFinalPhase(this.#phase)) {
            return;
        }
        if (this.#redirect) {
            const pending = this.#redirect;
            this.#redirect = null;
            this.#apply(CallEvent.REFUSED, `${code} ${message || ""}`.trim());
            log.warn(`${this.#describe()}: ${pending.method}() refused: ${code} ${message || ""}`);
            pending.reject(redirectRefused(pending.method, code, message));
        } else if ([CallPhase.DIALLING, CallPhase.INCOMING, CallPhase.ANSWERING].includes(this.#phase)) {
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
        if ((state === CallState.IN_CALL || state === CallState.HOLD) && offerer === true) {
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

    /** CallType.AUDIO or VIDEO: VIDEO while either side sends video (see docs/webphone-client.md). */
    getCallType() {
        return this.#callType;
    }

    // Ours: fn(callType) whenever getCallType() changes, a camera turned on or off on either side.
    onCallTypeChanged(handler) {
        this.#typeChanges.add(handler);
    }

    // Where the other party's video is shown: the id of a <video> element, or of an element to put
    // one in. Any time, before the video arrives or after; null shows it nowhere.
    setRemoteDisplay(elementId) {
        this.#remoteDisplay.showIn(elementId);
    }

    // Ours: where this side's own camera is shown, as setRemoteDisplay.
    setLocalDisplay(elementId) {
        this.#localDisplay.showIn(elementId);
    }

    // Ours: whether this side sends its camera now.
    isCameraAttached() {
        return Boolean(this.#media && this.#media.camera) && !isFinalPhase(this.#phase);
    }

    // Starts sending video: from start()/accept() on it joins what the call sends, in the call it is a
    // renegotiation (a voice call becomes a video call). A promise, resolved once the camera is sent;
    // rejected with a CameraError when the camera is refused or absent (the call goes on), and with an
    // InvalidStateError in a phase without media. camera: a device id, a MediaDeviceInfo, or
    // MediaTrackConstraints; given while a camera is on, it replaces it.
    attachCamera(camera) {
        if (!CAMERA_PHASES.has(this.#phase)) {
            const refusal = invalidState("Call.attachCamera()", `is not possible in phase ${this.#phase}`
                + (this.#phase === CallPhase.NEW || this.#phase === CallPhase.INCOMING ? ": start() or accept() the call first" : ""));
            log.warn(refusal.message);
            return Promise.reject(refusal);
        }
        const media = this.#media;
        if (media.camera && (camera === undefined || camera === null)) {
            return Promise.resolve();
        }
        return media.stream.then(() => requestCamera(camera)).then(stream => this.#useCamera(media, stream));
    }

    // Stops sending video (a renegotiation in the call); the other party's video stays. A promise,
    // resolved once the camera is off; nothing to do without a camera.
    detachCamera() {
        const media = this.#media;
        if (!media || !media.camera || isFinalPhase(this.#phase)) {
            return Promise.resolve();
        }
        const track = media.camera;
        media.camera = null;
        return this.#sendCamera(media, null, null, track).then(() => {
            track.stop();
            this.#localDisplay.show([]);
            this.#updateCallType();
        });
    }

    // The server asks for an ICE restart (the other party is back after a lost connection).
    restartIce(iceServers = this.#port.iceServers()) {
        if (this.#negotiator && !isFinalPhase(this.#phase)) {
            log.info(`${this.#describe()}: restarting ICE, a party is back after a lost connection`);
            this.#negotiator.restartIce(iceServers);
        }
    }

    #redirectTo(method, event, target) {
        if (target === undefined || target === null) {
            log.warn(`${method}() needs the number to send ${this.#describe()} on to`);
            return Promise.reject(redirectRefused(method, "INVALID_TARGET", "no number given"));
        }
        if (!this.#port.isConnected()) {
            return Promise.reject(redirectRefused(method, "NOT_CONNECTED", "not connected to a webphone line"));
        }
        const before = this.#phase;
        if (this.#redirect || !this.#request(event)) {
            return Promise.reject(redirectRefused(method, "INVALID_STATE", this.#redirect
                ? `a ${this.#redirect.method}() waits for the server already` : `not possible in phase ${before}`));
        }
        this.#apply(event);
        const to = String(target);
        log.info(`${this.#describe()}: ${method} to ${to || "(default route)"}`);
        return new Promise((resolve, reject) => {
            this.#redirect = { method, resolve, reject };
            this.#port.send({ type: method, callId: this.#id, to });
        });
    }

    // A forward or transfer, heard by the side that made it (COMPLETED: it went through) or by the
    // side that stays (RINGING at its new other party, the target).
    #redirected(state, otherParty, reason) {
        const event = CallEvent.redirected(state);
        if (state === CallState.COMPLETED) {
            const pending = this.#redirect;
            if (this.#request(event)) {
                this.#redirect = null;
            }
            if (this.#apply(event, reason) && pending) {
                pending.resolve();
            }
            return;
        }
        const before = this.#phase;
        try {
            nextCallPhase(before, event);
        } catch (illegal) {
            log.warn(`ignored ${event} for ${this.#describe()}: ${illegal.message}`);
            return;
        }
        if (before !== CallPhase.RINGING) {
            // Transferred: the conversation with the old party is over, the target's starts afresh.
            this.#dropMediaPath();
        }
        this.#otherParty = otherParty || this.#otherParty;
        log.info(`${this.#describe()}: ${reason}, now ringing at ${this.#otherParty}`);
        this.#otherPartyChanges.emit(this.#otherParty);
        this.#apply(event, reason);
    }

    // The peer connection, playback and video of the old other party go; the microphone stays for the
    // new one, and so does a camera this side sends, which the new peer connection sends from the start.
    #dropMediaPath() {
        if (this.#negotiator) {
            this.#negotiator.close();
            this.#negotiator = null;
        }
        if (this.#playback) {
            this.#playback.stop();
            this.#playback = null;
        }
        this.#earlySignals.length = 0;
        this.#remoteVideoChanged(null);
        const media = this.#media;
        if (media && media.camera) {
            media.stream.then(local => {
                if (media.camera && !local.getTracks().includes(media.camera)) {
                    local.addTrack(media.camera);
                }
            }, () => {});
        }
    }

    #acquireMedia() {
        const media = new LocalMedia(this.#declaredType);
        this.#media = media;
        const granted = media.stream;
        granted.then(() => {
            if (media.camera) {
                this.#watchCamera(media, media.camera);
                this.#localDisplay.show([media.camera]);
            }
            this.#applyMute();
        }, failure => this.#fail(failure.message));
        return granted;
    }

    async #useCamera(media, stream) {
        const track = stream.getTracks().find(candidate => candidate.kind === "video");
        if (media.released || isFinalPhase(this.#phase)) {
            stopTracks(stream);
            throw invalidState("Call.attachCamera()", "was too late: the call ended while the camera was asked for");
        }
        const previous = media.camera;
        media.camera = track;
        this.#watchCamera(media, track);
        await this.#sendCamera(media, track, stream, previous);
        if (previous && previous !== track) {
            previous.stop();
        }
        if (!isFinalPhase(this.#phase)) {
            this.#localDisplay.show([track]);
            this.#updateCallType();
        }
    }

    // Before the call is up the camera joins the stream the negotiator will send; after, the negotiator
    // puts it on the call's video m-line.
    async #sendCamera(media, track, stream, previous) {
        if (this.#negotiator) {
            await this.#negotiator.sendVideo(track, stream);
            return;
        }
        const local = await media.stream;
        if (previous) {
            local.removeTrack(previous);
        }
        if (track) {
            local.addTrack(track);
        }
    }

    // A camera unplugged, or its permission revoked, ends its track: the call goes on without video.
    #watchCamera(media, track) {
        track.onended = () => {
            if (media.camera === track && !isFinalPhase(this.#phase)) {
                log.warn(`${this.#describe()}: the camera stopped; sending no video`);
                this.detachCamera();
            }
        };
    }

    // VIDEO while either side sends video: this side's camera, or the other side's as last negotiated.
    // Until the first negotiation the type the call was made with stands in for the other side.
    #updateCallType() {
        if (isFinalPhase(this.#phase)) {
            return;
        }
        const sending = Boolean(this.#media && this.#media.camera);
        const receiving = this.#remoteVideo === null ? this.#declaredType === CallType.VIDEO : this.#remoteVideo.length > 0;
        const type = sending || receiving ? CallType.VIDEO : CallType.AUDIO;
        if (type !== this.#callType) {
            log.debug(`${this.#describe()}: ${this.#callType} -> ${type}`);
            this.#callType = type;
            this.#typeChanges.emit(type);
        }
    }

    // tracks null: no other party's video known (the party changed, nothing negotiated with the new one).
    #remoteVideoChanged(tracks) {
        this.#remoteVideo = tracks;
        this.#remoteDisplay.show(tracks || []);
        this.#updateCallType();
    }

    #setMuted(muted) {
        if (isFinalPhase(this.#phase)) {
            log.warn(`${muted ? "mute" : "unMute"}() ignored: ${this.#describe()} is over`);
            return;
        }
        this.#muted = muted;
        this.#applyMute();
    }

    // A disabled track sends silence: the other party hears nothing, and nothing is renegotiated.
    #applyMute() {
        if (this.#media) {
            this.#media.stream.then(stream => stream.getTracks()
                .filter(track => track.kind === "audio")
                .forEach(track => { track.enabled = !this.#muted; }), () => {});
        }
    }

    #connectMedia(offerer) {
        this.#playback = new RemotePlayback(this.#id);
        this.#negotiator = new Negotiator({
            iceServers: this.#port.iceServers(),
            iceTransportPolicy: this.#port.iceTransportPolicy(),
            localStream: this.#media.stream,
            offerer,
            video: this.#declaredType === CallType.VIDEO,
            onSignal: signal => this.#port.send(signal.description
                ? { type: "sdp", callId: this.#id, description: signal.description }
                : { type: "ice", callId: this.#id, candidate: signal.candidate }),
            // A camera added later arrives in a stream of its own: the <audio> element keeps the sound.
            onRemoteStream: stream => {
                if (stream.getTracks().some(track => track.kind === "audio")) {
                    this.#playback.play(stream);
                }
            },
            onRemoteVideo: tracks => this.#remoteVideoChanged(tracks),
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

    // A request whose outcome the server announces: allowed by the table or refused with a warning,
    // and the phase stays as it is until the server speaks.
    #request(event) {
        try {
            nextCallPhase(this.#phase, event);
            return true;
        } catch (illegal) {
            log.warn(`ignored ${event} for ${this.#describe()}: ${illegal.message}`);
            return false;
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
        this.#settleRedirect(event, reason);
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

    // A forward or transfer still waiting when the call ends, or when the other party's own transfer
    // comes first, is rejected; handleError and #redirected settle the server's refusal and
    // confirmation themselves. A hold or unhold meanwhile leaves it waiting.
    #settleRedirect(event, reason) {
        const pending = this.#redirect;
        if (!pending || !(isFinalPhase(this.#phase) || event === CallEvent.redirected(CallState.RINGING))) {
            return;
        }
        this.#redirect = null;
        pending.reject(isFinalPhase(this.#phase)
            ? redirectRefused(pending.method, "CALL_ENDED", reason || event)
            : redirectRefused(pending.method, "INVALID_STATE", `the other party ${reason || "moved the call"} first`));
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
        this.#remoteDisplay.stop();
        this.#localDisplay.stop();
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
