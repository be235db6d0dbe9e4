// The softphone page: feeds what the WebphoneAPI client reports into the phone's state machine and
// the page's actions into the client. Features a server does not offer (yet) are switched off with a
// word, never an exception.
import { initialModel, nextPhoneState, Phone, PhoneEvent } from "./state.js";
import { nameOf, render } from "./view.js";

const RETRY_MS = 5000;
// How many keypad digits the call card shows, the newest.
const DTMF_SHOWN = 24;
const DTMF_KEY = /^[0-9*#]$/;

const body = document.body;
const model = initialModel();
const unavailable = new Set();
let call = null;

const actions = { dial, unavailable };

function update(patch = {}) {
    Object.assign(model, patch);
    render(model, actions);
}

function move(event, patch = {}) {
    const next = nextPhoneState(model.state, event);
    if (next !== null) {
        update({ ...patch, state: next });
    }
}

// The ends of a call that need no notice: this side hung up, or the other did before answering.
const PLAIN_ENDS = ["hung up by this side", "the other party ended the call"];

// Why a call ended, in the words a user would use; null for a call hung up after it connected.
function plainEnd(state, otherParty, reason, connected) {
    const who = otherParty || "The other party";
    switch (state) {
        case CallState.BUSY: return `${who} is in another call.`;
        case CallState.NOT_FOUND: return `${who} is not online.`;
        case CallState.REJECTED: return `${who} declined the call.`;
        case CallState.NOT_ANSWERED: return `No answer from ${who}.`;
        case CallState.ERROR:
            return /microphone|NotAllowed|Permission/i.test(reason || "")
                ? "The microphone is blocked: allow it in the browser's address bar, then call again."
                : `The call failed: ${reason}`;
        // A call that never connected and ends without BUSY, REJECTED...: the far end could not be
        // reached (the SIP gateway is down, say), and only the reason tells the user why.
        case CallState.COMPLETED:
            return connected || !reason || PLAIN_ENDS.includes(reason) ? null : `The call ended: ${reason}`;
        default: return null;
    }
}

// Why a forward or transfer did not happen, in the words a user would use; null when the end of the
// call says it already.
function plainRefusal(verb, target, error) {
    switch (error && error.code) {
        case "BUSY": return `${target} is in another call; the call stays with you.`;
        case "NOT_FOUND": return `${target} is not online; the call stays with you.`;
        case "INVALID_TARGET": return `A call cannot be ${verb} to you or to the person you are talking to.`;
        case "CALL_ENDED": return null;
        default: return `The call could not be ${verb}: ${(error && error.message) || error}`;
    }
}

function feature(name, action) {
    try {
        action();
        return true;
    } catch (failure) {
        if (failure && (failure.name === "NotSupportedError" || failure instanceof TypeError)) {
            unavailable.add(name);
            update({ notice: `${name[0].toUpperCase()}${name.slice(1)} is not available on this server yet.` });
            return false;
        }
        throw failure;
    }
}

// Whether the call sends this phone's camera now; false where the client cannot say.
function cameraOn(ofCall) {
    return Boolean(ofCall && typeof ofCall.isCameraAttached === "function" && ofCall.isCameraAttached());
}

function videoCall(ofCall) {
    return Boolean(ofCall && typeof ofCall.getCallType === "function" && ofCall.getCallType() === CallType.VIDEO);
}

function plainCameraError(failure) {
    if (failure && failure.name === "CameraError") {
        return /NotFound|Overconstrained/.test(failure.reason || "")
            ? "No camera was found: plug one in, then press Video on again."
            : `The camera is blocked or busy (${failure.message}): allow it in the browser's address bar, then press Video on again.`;
    }
    return `The video could not be changed: ${failure && failure.message}`;
}

// Video on and off in a call: the camera joins the call by a renegotiation, and leaves it the same way.
function toggleVideo() {
    const ofCall = call;
    if (!ofCall) {
        return;
    }
    let change;
    if (!feature("video", () => {
        change = cameraOn(ofCall) ? ofCall.detachCamera() : ofCall.attachCamera();
    })) {
        return;
    }
    Promise.resolve(change).then(() => {
        if (call === ofCall) {
            update({ camera: cameraOn(ofCall), video: videoCall(ofCall), notice: null });
        }
    }, failure => {
        if (call === ofCall) {
            update({ camera: cameraOn(ofCall), video: videoCall(ofCall), notice: plainCameraError(failure) });
        }
    });
}

function follow(newCall, otherParty) {
    call = newCall;
    update({ call: newCall, otherParty, muted: false, messages: [], quality: "", localLevel: null, remoteLevel: null,
        camera: cameraOn(newCall), video: videoCall(newCall), dtmfSent: "", dtmfReceived: "" });
    newCall.onOtherPartyChanged(otherParty => {
        if (call === newCall) {
            move(PhoneEvent.REDIRECTED, {
                notice: `${nameOf(model, model.otherParty)} passed the call on to ${nameOf(model, otherParty)}.`,
                otherParty, since: null
            });
        }
    });
    newCall.onCallStateChanged(state => {
        if (call !== newCall) {
            return;
        }
        update({ camera: cameraOn(newCall), video: videoCall(newCall) });
        if (state === CallState.IN_CALL) {
            move(model.state === Phone.HELD ? PhoneEvent.RESUMED : PhoneEvent.ANSWERED,
                model.since === null ? { since: Date.now() } : {});
        } else if (state === CallState.HOLD) {
            move(PhoneEvent.HELD);
        } else if (state !== CallState.RINGING) {
            const notice = plainEnd(state, newCall.getOtherParty(), newCall.getEndReason && newCall.getEndReason(),
                model.since !== null);
            call = null;
            move(PhoneEvent.ENDED, { call: null, since: null, notice, otherParty: null, redirecting: null });
        }
    });
    if (typeof newCall.onMessageReceived === "function") {
        try {
            // The client hands a String object (with .text and .from); String() suits a plain string too.
            newCall.onMessageReceived(message => call === newCall && update({
                messages: [...model.messages, { mine: false, text: String(message) }]
            }));
        } catch (failure) {
            unavailable.add("chat");
        }
    } else {
        unavailable.add("chat");
    }
    if (typeof newCall.onDtmfReceived === "function") {
        newCall.onDtmfReceived(digits => call === newCall
            && update({ dtmfReceived: (model.dtmfReceived + String(digits)).slice(-DTMF_SHOWN) }));
    }
    if (typeof newCall.setRemoteDisplay === "function") {
        try {
            newCall.setRemoteDisplay("remote-video");
            if (typeof newCall.setLocalDisplay === "function") {
                newCall.setLocalDisplay("local-video");
            }
            if (typeof newCall.onCallTypeChanged === "function") {
                newCall.onCallTypeChanged(() => call === newCall && update({ camera: cameraOn(newCall), video: videoCall(newCall) }));
            }
        } catch (failure) {
            unavailable.add("video");
        }
    }
}

function describeQuality(quality) {
    const parts = [];
    if (quality.roundTripTimeMs !== null) {
        parts.push(`${quality.roundTripTimeMs} ms round trip`);
    }
    if (quality.jitterMs !== null) {
        parts.push(`${quality.jitterMs} ms jitter`);
    }
    if (quality.lossPercent !== null) {
        parts.push(`${quality.lossPercent} % lost`);
    }
    if (quality.receiveKbps !== null) {
        parts.push(`${quality.receiveKbps} kbit/s in, ${quality.sendKbps} out`);
    }
    return parts.length > 0 ? `Quality: ${parts.join(", ")}` : "";
}

function readQuality(ofCall) {
    if (!ofCall || typeof ofCall.getQuality !== "function") {
        return;
    }
    ofCall.getQuality().then(quality => {
        if (quality && call === ofCall) {
            update({ quality: describeQuality(quality), localLevel: quality.localLevel, remoteLevel: quality.remoteLevel });
        }
    });
}

// Forwards the ringing call, or transfers the connected one, to target; the line's answer comes
// later, as a notice.
function redirect(method, input) {
    const target = input.value.trim();
    if (!call || !target || model.redirecting) {
        return;
    }
    const ofCall = call;
    const other = nameOf(model, model.otherParty);
    const to = nameOf(model, target);
    const verb = method === "forward" ? "forwarded" : "transferred";
    let answer;
    if (!feature(method, () => { answer = ofCall[method](target); })) {
        return;
    }
    input.value = "";
    update({ redirecting: { verb: method === "forward" ? "Forwarding" : "Transferring", to: target }, notice: null });
    Promise.resolve(answer).then(
        () => update({
            redirecting: null,
            notice: method === "forward" ? `Forwarded the call to ${to}.` : `Transferred ${other} to ${to}.`
        }),
        error => update({ redirecting: null, notice: plainRefusal(verb, target, error) || model.notice }));
}

function dial(number) {
    const wanted = String(number || document.getElementById("number").value).trim();
    if (model.state !== Phone.READY) {
        return;
    }
    const outgoing = OzWebClient.createCall(wanted);
    follow(outgoing, wanted || "the default destination");
    move(PhoneEvent.DIAL, { notice: null, since: null });
    outgoing.start();
}

// During a call a key sends a tone; the digit is shown as sent only when the client took it.
function sendDtmf(key) {
    let sent = false;
    if (feature("keypad", () => { sent = call.sendDtmf(key) !== false; }) && sent) {
        update({ dtmfSent: (model.dtmfSent + key.toUpperCase()).slice(-DTMF_SHOWN) });
    }
}

function inCall() {
    return call !== null && (model.state === Phone.IN_CALL || model.state === Phone.HELD);
}

function wire() {
    document.getElementById("dial").addEventListener("submit", event => {
        event.preventDefault();
        dial();
    });
    document.getElementById("keypad").addEventListener("click", event => {
        const key = event.target.dataset && event.target.dataset.key;
        if (!key) {
            return;
        }
        if (inCall()) {
            sendDtmf(key);
        } else {
            const input = document.getElementById("number");
            input.value += key;
            input.focus();
        }
    });
    document.getElementById("accept").addEventListener("click", () => call && call.accept());
    document.getElementById("reject").addEventListener("click", () => call && call.reject());
    document.getElementById("hang-up").addEventListener("click", () => call && call.hangUp());
    document.getElementById("hold").addEventListener("click", () => {
        if (call) {
            feature("hold", () => (model.state === Phone.HELD ? call.unHold() : call.hold()));
        }
    });
    document.getElementById("mute").addEventListener("click", () => {
        if (call && feature("mute", () => (model.muted ? call.unMute() : call.mute()))) {
            update({ muted: typeof call.isMuted === "function" ? call.isMuted() : !model.muted });
        }
    });
    // The keyboard's digits, * and # play tones during a call, unless typing goes into a field.
    document.addEventListener("keydown", event => {
        const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
        if (inCall() && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && DTMF_KEY.test(event.key)) {
            event.preventDefault();
            sendDtmf(event.key);
        }
    });
    document.getElementById("forward-form").addEventListener("submit", event => {
        event.preventDefault();
        if (model.state === Phone.INCOMING) {
            redirect("forward", document.getElementById("forward-to"));
        }
    });
    document.getElementById("transfer-form").addEventListener("submit", event => {
        event.preventDefault();
        if (inCall()) {
            redirect("transfer", document.getElementById("transfer-to"));
        }
    });
    document.getElementById("video").addEventListener("click", toggleVideo);
    document.getElementById("chat").addEventListener("submit", event => {
        event.preventDefault();
        const input = document.getElementById("chat-text");
        const text = input.value.trim();
        let sent = false;
        if (call && text && feature("chat", () => { sent = call.sendMessage(text) !== false; })) {
            if (sent) {
                input.value = "";
                update({ messages: [...model.messages, { mine: true, text }] });
            } else {
                update({ notice: "The message could not be sent: the call is not connected." });
            }
        }
    });
    // The call timer, and the call's quality and sound levels.
    setInterval(() => {
        if (model.state === Phone.IN_CALL || model.state === Phone.HELD) {
            // A camera can stop by itself (unplugged); the button follows.
            update({ camera: cameraOn(call), video: videoCall(call) });
            readQuality(call);
        }
    }, 1000);
}

function connect() {
    const params = new URLSearchParams(location.search);
    const nickname = params.get("name");
    OzWebClient.connect(body.dataset.serverAddress || location.hostname, body.dataset.line,
        nickname ? { nickname } : undefined);
}

OzWebClient.onConnectionStateChanged(state => {
    if (state == ConnectionState.ACCESS_GRANTED) {
        move(PhoneEvent.CONNECTED, { connection: `Online on line ${body.dataset.line}`, notice: null });
        return;
    }
    const reason = state.reason ? `: ${state.reason}` : "";
    const words = {
        ACCESS_DENIED: `The line refused this phone${reason}.`,
        CONNECTION_FAILED: `Cannot reach the phone system${reason}. Retrying...`,
        CONNECTION_CLOSED: `The connection was lost${reason}. Reconnecting...`
    }[String(state)] || `Not connected (${state}${reason}).`;
    call = null;
    move(PhoneEvent.DISCONNECTED, { connection: "Offline", notice: words, ownNumber: null, online: new Map(), call: null, since: null });
    if (String(state) === "CONNECTION_FAILED") {
        setTimeout(connect, RETRY_MS);
    }
});
OzWebClient.onUserInfoReceived(info => update({ ownNumber: info.phoneNumber }));
OzWebClient.onClientStateChanged(client => {
    const online = new Map(model.online);
    if (client.status === "ONLINE") {
        online.set(client.phoneNumber, client);
    } else {
        online.delete(client.phoneNumber);
    }
    update({ online });
});
OzWebClient.onIncomingCall(incoming => {
    if (model.state !== Phone.READY) {
        // One call at a time: a second caller hears that this phone is busy.
        incoming.reject();
        return;
    }
    follow(incoming, incoming.getOtherParty());
    move(PhoneEvent.RINGING_IN, { notice: null, since: null });
});

wire();
render(model, actions);
connect();
