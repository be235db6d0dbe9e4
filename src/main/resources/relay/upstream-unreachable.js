// Served as /WebphoneAPI while the phone system cannot be reached. Without it the page's own code
// would stop at `ReferenceError: OzWebClient is not defined` and never learn why; with it the page
// runs as written: connect() reports CONNECTION_FAILED with the reason, and every other member does
// nothing but say so. The enums, log and event channel above are the real client's, so states compare
// exactly as they would against the real script. UNREACHABLE is the reason, set by the server.

function unavailable(what) {
    log.error(`${what} is not available: ${UNREACHABLE}`);
}

function refusedRedirect(method) {
    unavailable(`Call.${method}()`);
    const error = new Error(`WebphoneAPI: Call.${method}() refused: NOT_CONNECTED ${UNREACHABLE}`);
    error.name = "RedirectRefusedError";
    error.code = "NOT_CONNECTED";
    return Promise.reject(error);
}

class UnavailableCall {
    #otherParty;
    #callType;
    #states = new EventChannel("onCallStateChanged");
    #state = null;

    constructor(otherParty, callType) {
        this.#otherParty = otherParty === undefined || otherParty === null ? "" : String(otherParty);
        this.#callType = callType || CallType.AUDIO;
    }

    start() {
        unavailable("Call.start()");
        this.#state = CallState.ERROR;
        this.#states.emit(CallState.ERROR);
    }

    accept() { unavailable("Call.accept()"); }
    reject() { unavailable("Call.reject()"); }
    hangUp() { /* nothing to end: harmless, as on a call that has ended */ }
    hold() { unavailable("Call.hold()"); }
    unHold() { unavailable("Call.unHold()"); }
    unhold() { unavailable("Call.unhold()"); }
    sendMessage() { unavailable("Call.sendMessage()"); }
    onMessageReceived() { /* no message ever arrives */ }
    mute() { /* nothing is sent: already silent */ }
    unMute() { /* nothing to unmute */ }
    unmute() { /* nothing to unmute */ }
    isMuted() { return false; }
    sendDtmf() { unavailable("Call.sendDtmf()"); }
    onDtmfReceived() { /* no digits ever arrive */ }
    // Promises, as the real client's: refused at once, with the reason.
    transfer() { return refusedRedirect("transfer"); }
    forward() { return refusedRedirect("forward"); }
    onOtherPartyChanged(handler) { requireHandler("onOtherPartyChanged", handler); }
    setRemoteDisplay() { /* nothing to display */ }
    setLocalDisplay() { /* nothing to display */ }
    // Promises, as the real client's are: a page waits on them.
    attachCamera() {
        unavailable("Call.attachCamera()");
        return Promise.reject(Object.assign(new Error(`Call.attachCamera(): ${UNREACHABLE}`), { name: "InvalidStateError" }));
    }
    detachCamera() { return Promise.resolve(); }
    isCameraAttached() { return false; }
    onCallTypeChanged(handler) { requireHandler("onCallTypeChanged", handler); }
    onCallStateChanged(handler) { this.#states.add(handler); }
    getCallState() { return this.#state; }
    getOtherParty() { return this.#otherParty; }
    getCallType() { return this.#callType; }
    getEndReason() { return this.#state === CallState.ERROR ? UNREACHABLE : null; }
    getQuality() { return Promise.resolve(null); }
}

class UnavailableClient {
    #connectionStates = new EventChannel("onConnectionStateChanged");

    connect() {
        log.error(`${ConnectionState.CONNECTION_FAILED}: ${UNREACHABLE}`);
        this.#connectionStates.emit(connectionStateEvent(ConnectionState.CONNECTION_FAILED, UNREACHABLE));
    }

    disconnect() { /* never connected */ }
    setReconnect() { /* nothing to reconnect to: the page is loaded again once the phone system is back */ }
    onConnectionStateChanged(handler) { this.#connectionStates.add(handler); }
    // Handlers are accepted and never called: no client, call or user info can arrive.
    onClientStateChanged(handler) { requireHandler("onClientStateChanged", handler); }
    onIncomingCall(handler) { requireHandler("onIncomingCall", handler); }
    onUserInfoReceived(handler) { requireHandler("onUserInfoReceived", handler); }
    onCall(handler) { requireHandler("onCall", handler); }

    createCall(number, callType) {
        return new UnavailableCall(number, callType);
    }
}

window.OzWebClient = new UnavailableClient();
window.ConnectionState = ConnectionState;
window.CallState = CallState;
window.CallType = CallType;
