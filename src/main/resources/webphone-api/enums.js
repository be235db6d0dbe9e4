// Public enumerations. Values are plain strings equal to their keys, so pages can compare against
// literals ("IN_CALL") as the Ozeki samples do.

const CallState = Object.freeze({
    RINGING: "RINGING",
    IN_CALL: "IN_CALL",
    HOLD: "HOLD",
    COMPLETED: "COMPLETED",
    REJECTED: "REJECTED",
    BUSY: "BUSY",
    NOT_FOUND: "NOT_FOUND",
    NOT_ANSWERED: "NOT_ANSWERED",
    ERROR: "ERROR",
    // One Ozeki sample compares against CallState.ANSWERED; it means the call was picked up.
    ANSWERED: "IN_CALL"
});

// States after which a call never changes again.
const FINAL_CALL_STATES = new Set([
    CallState.COMPLETED, CallState.REJECTED, CallState.BUSY,
    CallState.NOT_FOUND, CallState.NOT_ANSWERED, CallState.ERROR
]);

const CallType = Object.freeze({
    AUDIO: "AUDIO",
    VIDEO: "VIDEO"
});

const ConnectionState = Object.freeze({
    ACCESS_GRANTED: "ACCESS_GRANTED",
    // The Part 3 tutorial tests for CONNECTION_SUCCESS; it is the same event as ACCESS_GRANTED.
    CONNECTION_SUCCESS: "ACCESS_GRANTED",
    ACCESS_DENIED: "ACCESS_DENIED",
    CONNECTION_FAILED: "CONNECTION_FAILED",
    CONNECTION_CLOSED: "CONNECTION_CLOSED"
});

// The references disagree on what onConnectionStateChanged passes: the tutorial compares the
// argument itself (state == ConnectionState.X), other pages read state.State. A String object
// satisfies both: loose equality unwraps it to its primitive value, and it can carry .State.
function connectionStateEvent(state, reason) {
    const event = new String(state);
    event.State = state;
    if (reason) {
        event.reason = reason;
    }
    return Object.freeze(event);
}
