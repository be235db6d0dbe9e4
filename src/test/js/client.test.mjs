// OzWebClient over a fake WebSocket whose server side the test plays: the handshake, the order in
// which the tutorial's handlers see events, the roster, connection loss, and a whole call between
// two clients whose messages the test relays as the server would.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi, recordingConsole, settle } from "./support/webphone-api.mjs";
import { FakeClock, FakeDocument, FakeMediaStream, FakeMicrophone, fakeWebSocketClass } from "./support/fake-browser.mjs";
import { FakePeerConnection } from "./support/fake-peer-connection.mjs";

const GRANTED = { type: "access-granted", line: "Webphone1", phoneNumber: "1001", iceServers: [], iceTransportPolicy: "all" };

// One browser tab: its own client, socket class, clock and console. With injectPeerConnection the
// client gets its RTCPeerConnection implementation through its constructor, and the global one
// throws; otherwise OzWebClient, as published, uses the global one.
function tab({ injectPeerConnection = false } = {}) {
    const WebSocket = fakeWebSocketClass();
    const clock = new FakeClock();
    const recorder = recordingConsole();
    const peers = [];
    class RecordedPeerConnection extends FakePeerConnection {
        constructor(configuration) {
            super(configuration);
            peers.push(this);
        }
    }
    const api = loadWebphoneApi({
        document: new FakeDocument("http://192.0.2.10:8080/WebphoneAPI"), navigator: new FakeMicrophone().navigator,
        console: recorder, WebSocket, MediaStream: FakeMediaStream,
        RTCPeerConnection: injectPeerConnection ? undefined : RecordedPeerConnection,
        setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout
    });
    const client = injectPeerConnection
        ? new api.WebphoneClient({ PeerConnection: RecordedPeerConnection })
        : api.window.OzWebClient;
    return { api, client, WebSocket, clock, peers, console: recorder.lines };
}

// What the page's connection-state handler receives, as the page would log it.
function recordConnectionStates(client) {
    const states = [];
    client.onConnectionStateChanged(state => states.push(String(state)));
    return states;
}

let page;

beforeEach(() => {
    page = tab();
});

describe("every call of the client (ours)", () => {
    it("hands onCall the calls the page creates and the calls that arrive, a handler registered late too", async () => {
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        const outgoing = page.client.createCall("1002");
        page.WebSocket.last.serverSends({ type: "incoming", callId: "in-1", from: "1003", callType: "AUDIO" });
        const seen = [];
        page.client.onCall(call => seen.push(call.getOtherParty()));
        await settle();

        assert.deepEqual(seen, ["1002", "1003"]);
        assert.equal(outgoing.getOtherParty(), "1002");
    });

    it("keeps at most the 100 newest calls for a handler that is not there yet", async () => {
        for (let i = 0; i < 150; i++) {
            page.client.createCall(String(2000 + i));
        }
        const seen = [];
        page.client.onCall(call => seen.push(call.getOtherParty()));
        await settle();

        assert.equal(seen.length, 100);
        assert.equal(seen[0], "2050");
        assert.equal(seen[99], "2149");
    });
});

describe("the connection", () => {
    it("opens the socket the script's address implies and joins the line with the page's properties", async () => {
        page.client.connect("192.0.2.10", "Webphone1", { nickname: "Ann" });
        const socket = page.WebSocket.last;
        assert.equal(socket.url, "ws://192.0.2.10:8080/webphone/ws");

        socket.open();
        assert.deepEqual(socket.sent, [{ type: "connect", line: "Webphone1", properties: { nickname: "Ann" } }]);
    });

    it("joins as an extension with its password when given one, and sends no password otherwise", async () => {
        page.client.connect("192.0.2.10", "Office", { nickname: "Reception" }, { extension: 200, password: "s3cret" });
        page.WebSocket.last.open();
        assert.deepEqual(page.WebSocket.last.sent, [{ type: "connect", line: "Office", properties: { nickname: "Reception" },
            extension: "200", password: "s3cret" }]);
    });

    it("publishes the tutorial's globals, with CONNECTION_SUCCESS the same as ACCESS_GRANTED", () => {
        const { window } = page.api;
        assert.equal(window.ConnectionState.CONNECTION_SUCCESS, window.ConnectionState.ACCESS_GRANTED);
        assert.equal(window.CallState.ANSWERED, "IN_CALL");
        assert.equal(window.CallType.VIDEO, "VIDEO");
    });

    it("passes a state that compares both ways the references compare it", async () => {
        const received = [];
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        page.client.onConnectionStateChanged(state => received.push(state));
        await settle();

        assert.equal(received.length, 1);
        assert.ok(received[0] == "ACCESS_GRANTED", "state == ConnectionState.ACCESS_GRANTED");
        assert.equal(received[0].State, "ACCESS_GRANTED");
    });

    it("reports CONNECTION_FAILED when the server does not answer within 5 s", async () => {
        const states = recordConnectionStates(page.client);
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.clock.tick(4999);
        await settle();
        assert.deepEqual(states, []);

        page.clock.tick(1);
        await settle();
        assert.deepEqual(states, ["CONNECTION_FAILED"]);
        assert.deepEqual(page.WebSocket.last.closedByClient, { code: 1000, reason: "client disconnect" });
    });

    it("reports CONNECTION_FAILED for an address it cannot read, without opening a socket", async () => {
        const states = recordConnectionStates(page.client);
        page.client.connect("ftp://192.0.2.10", "Webphone1");
        await settle();
        assert.deepEqual(states, ["CONNECTION_FAILED"]);
        assert.equal(page.WebSocket.instances.length, 0);
    });

    it("reports ACCESS_DENIED with the server's reason", async () => {
        const reasons = [];
        page.client.onConnectionStateChanged(state => reasons.push(`${state} ${state.reason}`));
        page.client.connect("", "Nope");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends({ type: "access-denied", reason: "no such line" });
        await settle();
        assert.deepEqual(reasons, ["ACCESS_DENIED access denied: no such line"]);
    });

    it("reports CONNECTION_CLOSED when the server goes away, and can connect again", async () => {
        const states = recordConnectionStates(page.client);
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        page.WebSocket.last.serverCloses(1006);
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        await settle();
        assert.deepEqual(states, ["ACCESS_GRANTED", "CONNECTION_CLOSED", "ACCESS_GRANTED"]);
    });

    it("ignores frames that are not JSON or have no type, and says so", async () => {
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends("not json");
        page.WebSocket.last.serverSends({ no: "type" });
        page.WebSocket.last.serverSends({ type: "surprise" });
        page.WebSocket.last.serverSends(GRANTED);
        const states = recordConnectionStates(page.client);
        await settle();
        assert.deepEqual(states, ["ACCESS_GRANTED"]);
        assert.equal(page.console.filter(line => line.startsWith("warn") && line.includes("ignored")).length, 3, page.console.join("\n"));
    });
});

describe("events, in the order the tutorial registers its handlers", () => {
    it("delivers the clients already online to a handler registered inside the ACCESS_GRANTED handler", async () => {
        const seen = [];
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        page.WebSocket.last.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: { nickname: "Bob" } });
        page.WebSocket.last.serverSends({ type: "client-state", phoneNumber: "1003", status: "ONLINE", properties: {} });
        page.client.onConnectionStateChanged(state => {
            seen.push(`connection ${state}`);
            if (state == "ACCESS_GRANTED") {
                page.client.onClientStateChanged(info => seen.push(`client ${info.phoneNumber} ${info.status} ${info.nickname || ""}`.trim()));
            }
        });
        await settle();

        assert.deepEqual(seen, ["connection ACCESS_GRANTED", "client 1002 ONLINE Bob", "client 1003 ONLINE"]);
    });

    it("gives onUserInfoReceived this client's own number", async () => {
        const infos = [];
        page.client.onUserInfoReceived(info => infos.push({ ...info }));
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        await settle();
        assert.deepEqual(infos, [{ phoneNumber: "1001", line: "Webphone1" }]);
    });

    it("hands an incoming call to a handler registered late, but not one that stopped ringing meanwhile", async () => {
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        page.WebSocket.last.serverSends({ type: "incoming", callId: "gone", from: "1002", callType: "AUDIO" });
        page.WebSocket.last.serverSends({ type: "call-state", callId: "gone", state: "COMPLETED", otherParty: "1002" });
        page.WebSocket.last.serverSends({ type: "incoming", callId: "ringing", from: "1003", callType: "AUDIO" });
        const calls = [];
        page.client.onIncomingCall(call => calls.push(`${call.getOtherParty()} ${call.getCallState()}`));
        await settle();
        assert.deepEqual(calls, ["1003 RINGING"]);
    });

    it("keeps running the page's other handlers when one throws", async () => {
        const seen = [];
        page.client.onConnectionStateChanged(() => {
            throw new Error("page bug");
        });
        page.client.onConnectionStateChanged(state => seen.push(String(state)));
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        await settle();
        assert.deepEqual(seen, ["ACCESS_GRANTED"]);
        assert.ok(page.console.some(line => line.startsWith("error") && line.includes("onConnectionStateChanged handler threw")));
    });
});

describe("the roster", () => {
    function granted() {
        page.client.connect("", "Webphone1");
        page.WebSocket.last.open();
        page.WebSocket.last.serverSends(GRANTED);
        return page.WebSocket.last;
    }

    it("reports every join and leave of others, never this client, and never one status twice in a row", async () => {
        const socket = granted();
        const seen = [];
        page.client.onClientStateChanged(info => seen.push(`${info.phoneNumber} ${info.status}`));
        socket.serverSends({ type: "client-state", phoneNumber: "1001", status: "ONLINE", properties: {} });
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: {} });
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: {} });
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "OFFLINE", properties: {} });
        await settle();
        assert.deepEqual(seen, ["1002 ONLINE", "1002 OFFLINE"]);
    });

    it("does not let a client's properties override its number or status", async () => {
        const socket = granted();
        const seen = [];
        page.client.onClientStateChanged(info => seen.push({ ...info }));
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: { phoneNumber: "999", status: "OFFLINE", nickname: "Bob" } });
        await settle();
        assert.deepEqual(seen, [{ phoneNumber: "1002", status: "ONLINE", nickname: "Bob" }]);
    });

    it("replays the clients still online to a late subscriber, without those who left", async () => {
        const socket = granted();
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: {} });
        socket.serverSends({ type: "client-state", phoneNumber: "1003", status: "ONLINE", properties: {} });
        socket.serverSends({ type: "client-state", phoneNumber: "1002", status: "OFFLINE", properties: {} });
        await settle();
        const seen = [];
        page.client.onClientStateChanged(info => seen.push(`${info.phoneNumber} ${info.status}`));
        await settle();
        assert.deepEqual(seen, ["1003 ONLINE"]);
    });

    it("starts empty on a new connection, and tells subscribers about everyone again", async () => {
        const first = granted();
        const seen = [];
        page.client.onClientStateChanged(info => seen.push(`${info.phoneNumber} ${info.status}`));
        first.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: {} });
        await settle();
        first.serverCloses(1006);
        const second = granted();
        second.serverSends({ type: "client-state", phoneNumber: "1002", status: "ONLINE", properties: {} });
        await settle();
        assert.deepEqual(seen, ["1002 ONLINE", "1002 ONLINE"]);
    });
});

describe("calls through the client", () => {
    function granted(client, WebSocket, phoneNumber) {
        client.connect("", "Webphone1");
        WebSocket.last.open();
        WebSocket.last.serverSends({ ...GRANTED, phoneNumber });
        return WebSocket.last;
    }

    it("ends a call in progress COMPLETED with a reason when the server connection is lost", async () => {
        const socket = granted(page.client, page.WebSocket, "1001");
        const call = page.client.createCall("1002");
        call.start();
        socket.serverSends({ type: "call-state", callId: socket.sentOfType("dial")[0].callId, state: "RINGING", otherParty: "1002" });
        socket.serverCloses(1006);
        const states = [];
        call.onCallStateChanged(state => states.push(state));
        await settle();

        assert.deepEqual(states, ["RINGING", "COMPLETED"]);
        assert.equal(call.getEndReason(), "the server connection was lost");
    });

    it("hangs up every call on disconnect()", async () => {
        const socket = granted(page.client, page.WebSocket, "1001");
        const call = page.client.createCall("1002");
        call.start();
        page.client.disconnect();
        assert.deepEqual(socket.sentOfType("hangup"), [{ type: "hangup", callId: socket.sentOfType("dial")[0].callId }]);
        assert.equal(call.getCallState(), "COMPLETED");
    });

    it("fails a dial the server refuses, and tells the server", async () => {
        const socket = granted(page.client, page.WebSocket, "1001");
        const call = page.client.createCall("1001");
        call.start();
        const callId = socket.sentOfType("dial")[0].callId;
        socket.serverSends({ type: "error", code: "INVALID_STATE", message: "cannot call yourself", callId });
        assert.equal(call.getCallState(), "ERROR");
        assert.deepEqual(socket.sentOfType("hangup"),
            [{ type: "hangup", callId, reason: "the server refused the call: INVALID_STATE cannot call yourself" }]);
    });

    it("ends in one connected call when both dial each other at once", async () => {
        const socket = granted(page.client, page.WebSocket, "1001");
        const incomingCalls = [];
        page.client.onIncomingCall(call => incomingCalls.push(call));
        socket.serverSends({ type: "incoming", callId: "theirs", from: "1002", callType: "AUDIO", properties: {} });
        const ours = page.client.createCall("1002");
        ours.start();
        const ourId = socket.sentOfType("dial")[0].callId;
        socket.serverSends({ type: "call-state", callId: "theirs", state: "COMPLETED", otherParty: "1002", reason: "merged" });
        socket.serverSends({ type: "call-state", callId: ourId, state: "IN_CALL", otherParty: "1002", offerer: true });
        const states = [];
        ours.onCallStateChanged(state => states.push(state));
        await settle();

        assert.deepEqual(states, ["IN_CALL"]);
        assert.deepEqual(incomingCalls, [], "an incoming call over before the page heard of it is not handed to the page");
        assert.deepEqual(page.peers.length, 1);
        assert.deepEqual(socket.sentOfType("hangup"), [], "neither call hangs up the other");
    });

    it("connects two clients whose messages are relayed as the server relays them, then hangs up both", async () => {
        const ann = tab({ injectPeerConnection: true });
        const bob = tab({ injectPeerConnection: true });
        const annSocket = granted(ann.client, ann.WebSocket, "1001");
        const bobSocket = granted(bob.client, bob.WebSocket, "1002");
        relay(annSocket, bobSocket, "1001", "1002");
        let bobsCall;
        bob.client.onIncomingCall(call => {
            bobsCall = call;
            call.accept();
        });

        const annsCall = ann.client.createCall("1002");
        annsCall.start();
        const annStates = [];
        annsCall.onCallStateChanged(state => annStates.push(state));
        await settle(100);

        assert.deepEqual(annStates, ["RINGING", "IN_CALL"]);
        assert.equal(bobsCall.getCallState(), "IN_CALL");
        for (const side of [ann, bob]) {
            assert.equal(side.peers.length, 1);
            assert.equal(side.peers[0].iceConnectionState, "connected");
        }

        annsCall.hangUp();
        await settle();
        assert.deepEqual(annStates, ["RINGING", "IN_CALL", "COMPLETED"]);
        assert.equal(bobsCall.getCallState(), "COMPLETED");
        assert.equal(bobsCall.getEndReason(), "the other party ended the call");
        assert.ok([ann, bob].every(side => side.peers[0].signalingState === "closed"));
        assert.deepEqual(annSocket.sentOfType("sdp").map(message => message.description.type), ["offer"]);
        assert.deepEqual(bobSocket.sentOfType("sdp").map(message => message.description.type), ["answer"]);
        assert.ok(annSocket.sentOfType("ice").length >= 1 && bobSocket.sentOfType("ice").length >= 1);
    });

    it("holds and resumes for both, chats both ways and passes DTMF, between two clients", async () => {
        const ann = tab({ injectPeerConnection: true });
        const bob = tab({ injectPeerConnection: true });
        relay(granted(ann.client, ann.WebSocket, "1001"), granted(bob.client, bob.WebSocket, "1002"), "1001", "1002");
        let bobsCall;
        const heard = { ann: [], bob: [], bobDtmf: [] };
        bob.client.onIncomingCall(call => {
            bobsCall = call;
            call.onMessageReceived(message => heard.bob.push(`${message.from}: ${message}`));
            call.onDtmfReceived(digits => heard.bobDtmf.push(String(digits)));
            call.accept();
        });
        const annsCall = ann.client.createCall("1002");
        annsCall.start();
        annsCall.onMessageReceived(message => heard.ann.push(`${message.from}: ${message}`));
        const states = { ann: [], bob: [] };
        annsCall.onCallStateChanged(state => states.ann.push(state));
        await settle(100);
        bobsCall.onCallStateChanged(state => states.bob.push(state));
        const sending = side => side.peers[0].getSenders().map(sender => sender.track && sender.track.kind);
        assert.deepEqual([sending(ann), sending(bob)], [["audio"], ["audio"]]);

        bobsCall.hold();
        await settle(50);
        assert.deepEqual([annsCall.getCallState(), bobsCall.getCallState()], ["HOLD", "HOLD"]);
        assert.deepEqual([sending(ann), sending(bob)], [[null], [null]], "no audio either way while held");
        annsCall.sendMessage("are you there?");
        bobsCall.sendMessage("one moment");
        await settle(50);

        annsCall.unHold();
        await settle(50);
        assert.deepEqual([sending(ann), sending(bob)], [["audio"], ["audio"]], "audio back both ways");
        annsCall.sendDtmf("42#");
        annsCall.mute();
        await settle(50);

        assert.deepEqual(states.ann, ["RINGING", "IN_CALL", "HOLD", "IN_CALL"]);
        assert.deepEqual(states.bob, ["RINGING", "IN_CALL", "HOLD", "IN_CALL"]);
        assert.deepEqual(heard.bob, ["1001: are you there?"]);
        assert.deepEqual(heard.ann, ["1002: one moment"]);
        assert.deepEqual(heard.bobDtmf, ["42#"]);
        assert.deepEqual(ann.peers[0].getSenders()[0].dtmf.inserted, ["42#"], "and as tones in the audio");
        assert.equal(annsCall.getCallState(), "IN_CALL", "muting is not a state");
        assert.equal(ann.peers[0].getSenders()[0].track.enabled, false);
        assert.equal(bobsCall.isMuted(), false);
    });
});

// Plays the server between two sockets for one call, as docs/protocol.md describes it.
function relay(callerSocket, calleeSocket, callerNumber, calleeNumber) {
    let callId;
    // Later, as a network would: never inside the sender's own send().
    const forward = (to, message) => setImmediate(() => to.serverSends(message));
    const bothHear = (state, extra = () => ({})) => {
        forward(callerSocket, { type: "call-state", callId, state, otherParty: calleeNumber, ...extra(true) });
        forward(calleeSocket, { type: "call-state", callId, state, otherParty: callerNumber, ...extra(false) });
    };
    // What either party may send once the call is up.
    const inCall = (message, other) => {
        if (["sdp", "ice", "message", "dtmf"].includes(message.type)) {
            forward(other, message);
        } else if (message.type === "hangup") {
            bothHear("COMPLETED");
        } else if (message.type === "hold") {
            bothHear("HOLD");
        } else if (message.type === "unhold") {
            bothHear("IN_CALL");
        }
    };
    const callerSend = callerSocket.send.bind(callerSocket);
    callerSocket.send = text => {
        callerSend(text);
        const message = JSON.parse(text);
        if (message.type === "dial") {
            callId = message.callId;
            forward(callerSocket, { type: "call-state", callId, state: "RINGING", otherParty: calleeNumber });
            forward(calleeSocket, { type: "incoming", callId, from: callerNumber, callType: message.callType, properties: {} });
        } else {
            inCall(message, calleeSocket);
        }
    };
    const calleeSend = calleeSocket.send.bind(calleeSocket);
    calleeSocket.send = text => {
        calleeSend(text);
        const message = JSON.parse(text);
        if (message.type === "accept") {
            bothHear("IN_CALL", caller => ({ offerer: caller }));
        } else {
            inCall(message, callerSocket);
        }
    };
}
