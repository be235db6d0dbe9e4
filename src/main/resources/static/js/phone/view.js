// Renders the softphone's model into the page; it reads the model and never changes it.
import { Phone } from "./state.js";

const $ = id => document.getElementById(id);

function show(id, visible) {
    $(id).classList.toggle("d-none", !visible);
}

function clock(since) {
    const seconds = since === null ? 0 : Math.floor((Date.now() - since) / 1000);
    return `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A number as the user knows it: with the nickname of the client online under it, if it has one. */
export function nameOf(model, number) {
    const client = model.online.get(number);
    return client && client.nickname ? `${client.nickname} (${number})` : number;
}

/** Draws everything the model says; cheap enough to run on every change and every second in a call. */
export function render(model, actions) {
    $("own-number").textContent = model.ownNumber ? `Your number: ${model.ownNumber}` : "\u00a0";
    $("connection").textContent = model.connection;
    $("notice").textContent = model.notice || "";
    show("notice", Boolean(model.notice));

    const inCall = model.state === Phone.IN_CALL || model.state === Phone.HELD;
    const ringing = model.state === Phone.CALLING;
    const redirecting = model.redirecting;
    show("incoming", model.state === Phone.INCOMING);
    $("incoming-text").textContent = model.state !== Phone.INCOMING ? ""
        : redirecting ? `${redirecting.verb} the call from ${nameOf(model, model.otherParty)} to ${redirecting.to}...`
            : `Incoming ${model.video ? "video " : ""}call from ${nameOf(model, model.otherParty)}`;
    for (const id of ["accept", "reject", "forward", "forward-to"]) {
        $(id).disabled = Boolean(redirecting) || (id.startsWith("forward") && actions.unavailable.has("forward"));
    }
    show("in-call", inCall || ringing);
    $("call-with").textContent = model.otherParty ? nameOf(model, model.otherParty) : "";
    $("call-status").textContent = redirecting && inCall
        ? `${redirecting.verb} to ${redirecting.to}...`
        : {
            CALLING: "Ringing...", IN_CALL: model.muted ? "In call (you are muted)" : "In call", HELD: "On hold"
        }[model.state] || "";
    $("call-timer").textContent = inCall ? clock(model.since) : "00:00";
    $("hold").textContent = model.state === Phone.HELD ? "Resume" : "Hold";
    $("hold").setAttribute("aria-pressed", String(model.state === Phone.HELD));
    $("mute").textContent = model.muted ? "Unmute" : "Mute";
    $("video").textContent = model.camera ? "Video off" : "Video on";
    $("video").setAttribute("aria-pressed", String(model.camera));
    $("mute").setAttribute("aria-pressed", String(model.muted));
    // A held call's button is the one to press to talk again.
    $("hold").classList.toggle("btn-warning", model.state === Phone.HELD);
    $("hold").classList.toggle("btn-outline-secondary", model.state !== Phone.HELD);
    $("dtmf-sent").textContent = inCall && model.dtmfSent ? `You pressed ${model.dtmfSent}` : "";
    show("dtmf-sent", inCall && Boolean(model.dtmfSent));
    $("dtmf-received").textContent = inCall && model.dtmfReceived
        ? `${nameOf(model, model.otherParty)} pressed ${model.dtmfReceived}` : "";
    show("dtmf-received", inCall && Boolean(model.dtmfReceived));
    $("keypad-hint").textContent = inCall && !actions.unavailable.has("keypad")
        ? "During the call the keys send tones to the other side." : "";
    for (const id of ["hold", "mute", "transfer", "video"]) {
        $(id).disabled = !inCall || actions.unavailable.has(id);
    }
    // A transfer needs a connected call, held or not, and one at a time.
    $("transfer").disabled = $("transfer").disabled || Boolean(redirecting);
    $("transfer-to").disabled = $("transfer").disabled;
    show("chat", inCall && !actions.unavailable.has("chat"));
    $("quality").textContent = inCall ? model.quality || "" : "";
    $("local-level").value = inCall && model.localLevel !== null ? model.localLevel : 0;
    $("remote-level").value = inCall && model.remoteLevel !== null ? model.remoteLevel : 0;

    $("call").disabled = model.state !== Phone.READY;
    $("number").disabled = model.state === Phone.OFFLINE;

    const list = $("online");
    list.replaceChildren(...Array.from(model.online.values()).map(client => {
        const item = document.createElement("li");
        item.className = "list-group-item d-flex justify-content-between align-items-center";
        const label = document.createElement("span");
        label.textContent = client.nickname ? `${client.nickname} (${client.phoneNumber})` : client.phoneNumber;
        const call = document.createElement("button");
        call.type = "button";
        call.className = "btn btn-sm btn-outline-success";
        call.textContent = "Call";
        call.dataset.number = client.phoneNumber;
        call.setAttribute("aria-label", `Call ${label.textContent}`);
        call.disabled = model.state !== Phone.READY;
        call.addEventListener("click", () => actions.dial(client.phoneNumber));
        item.append(label, call);
        return item;
    }));
    show("nobody", model.online.size === 0);

    $("chat-log").replaceChildren(...model.messages.map(message => {
        const item = document.createElement("li");
        item.textContent = `${message.mine ? "You" : nameOf(model, model.otherParty)}: ${message.text}`;
        return item;
    }));
}
