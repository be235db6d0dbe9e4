// The softphone's one state machine: where the phone stands, and the one table of what moves it.
// The view only renders a state; main.js only feeds events in. A pair missing from the table is a
// move that cannot happen (a late event), and is ignored.

export const Phone = Object.freeze({
    /** Not connected: connecting, or lost and the client is retrying. */
    OFFLINE: "OFFLINE",
    /** On the line, no call. */
    READY: "READY",
    /** Our call is ringing at the other end. */
    CALLING: "CALLING",
    /** A call for us is ringing here. */
    INCOMING: "INCOMING",
    /** Talking. */
    IN_CALL: "IN_CALL",
    /** Held by either side. */
    HELD: "HELD"
});

export const PhoneEvent = Object.freeze({
    CONNECTED: "connected",
    DISCONNECTED: "disconnected",
    DIAL: "dial",
    RINGING_IN: "ringingIn",
    ANSWERED: "answered",
    HELD: "held",
    RESUMED: "resumed",
    /** The other party forwarded or transferred our call: it rings at someone else now. */
    REDIRECTED: "redirected",
    ENDED: "ended"
});

const callEnds = { [PhoneEvent.ENDED]: Phone.READY, [PhoneEvent.DISCONNECTED]: Phone.OFFLINE };

const TRANSITIONS = Object.freeze({
    OFFLINE: { [PhoneEvent.CONNECTED]: Phone.READY },
    READY: {
        [PhoneEvent.DIAL]: Phone.CALLING,
        [PhoneEvent.RINGING_IN]: Phone.INCOMING,
        [PhoneEvent.DISCONNECTED]: Phone.OFFLINE
    },
    CALLING: { ...callEnds, [PhoneEvent.ANSWERED]: Phone.IN_CALL, [PhoneEvent.REDIRECTED]: Phone.CALLING },
    INCOMING: { ...callEnds, [PhoneEvent.ANSWERED]: Phone.IN_CALL },
    IN_CALL: { ...callEnds, [PhoneEvent.HELD]: Phone.HELD, [PhoneEvent.REDIRECTED]: Phone.CALLING },
    HELD: { ...callEnds, [PhoneEvent.RESUMED]: Phone.IN_CALL, [PhoneEvent.REDIRECTED]: Phone.CALLING }
});

/** The state after event in state, or null when the table has no such move. */
export function nextPhoneState(state, event) {
    const next = TRANSITIONS[state] && TRANSITIONS[state][event];
    return next || null;
}

/** What the phone shows: the state plus the facts of the moment. */
export function initialModel() {
    return {
        state: Phone.OFFLINE,
        ownNumber: null,
        connection: "Connecting...",
        online: new Map(),
        call: null,
        otherParty: null,
        since: null,
        muted: false,
        // Whether this phone sends its camera, and whether the call is a video call (either side's camera).
        camera: false,
        video: false,
        quality: "",
        localLevel: null,
        remoteLevel: null,
        notice: null,
        // A forward or transfer this phone asked for and the line has not answered yet:
        // {verb: "Forwarding" or "Transferring", to}.
        redirecting: null,
        messages: [],
        // Keypad digits pressed in this call, by this side and by the other.
        dtmfSent: "",
        dtmfReceived: ""
    };
}
