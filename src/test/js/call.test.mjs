// The Call through its phases, driven as the client drives it: through its port, with the server's
// messages handed to its handle* methods, a fake microphone and a fake RTCPeerConnection.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi, recordingConsole, settle } from "./support/webphone-api.mjs";
import { FakeClock, FakeDocument, FakeMediaStream, FakeMicrophone } from "./support/fake-browser.mjs";
import { FakePeerConnection } from "./support/fake-peer-connection.mjs";

// Every Call method of the contract (webphone-api.md) this client does not implement yet.
const NOT_YET_SUPPORTED = ["hold", "unHold", "unhold", "sendMessage", "onMessageReceived", "transfer", "forward"];

let api;
let microphone;
let document;
let consoleLines;
let peers;

function load({ holdMicrophone = false } = {}) {
    microphone = new FakeMicrophone({ hold: holdMicrophone });
    document = new FakeDocument();
    const recorder = recordingConsole();
    consoleLines = recorder.lines;
    const clock = new FakeClock();
    api = loadWebphoneApi({
        navigator: microphone.navigator, document, console: recorder, MediaStream: FakeMediaStream,
        setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
        RTCPeerConnection: class {
            constructor() {
                throw new Error("the call used the browser's RTCPeerConnection, not the port's");
            }
        }
    });
}

beforeEach(() => load());

function fakePort() {
    peers = [];
    const port = {
        sent: [],
        calls: new Map(),
        connected: true,
        send: message => port.sent.push(message),
        isConnected: () => port.connected,
        iceServers: () => [],
        iceTransportPolicy: () => "all",
        register: (callId, call) => port.calls.set(callId, call),
        unregister: callId => port.calls.delete(callId),
        PeerConnection: class extends FakePeerConnection {
            constructor(configuration) {
                super(configuration);
                peers.push(this);
            }
        }
    };
    return port;
}

function outgoing(port, otherParty = "1002") {
    return new api.Call(port, { id: "c1", otherParty, callType: undefined, incoming: false });
}

function incoming(port) {
    return new api.Call(port, { id: "c9", otherParty: "1001", callType: "AUDIO", incoming: true });
}

function recordStates(call) {
    const states = [];
    call.onCallStateChanged(state => states.push(state));
    return states;
}

describe("an outgoing call", () => {
    it("dials on start() and shows RINGING then IN_CALL to a handler registered after start()", async () => {
        const port = fakePort();
        const call = outgoing(port);
        assert.equal(call.getCallState(), null);

        call.start();
        const states = recordStates(call);
        assert.deepEqual(port.sent, [{ type: "dial", callId: "c1", to: "1002", callType: "AUDIO" }]);
        assert.equal(call.getCallState(), null, "dialled, but the server has not said RINGING yet");
        call.handleCallState({ state: "RINGING", otherParty: "1002" });
        call.handleCallState({ state: "IN_CALL", otherParty: "1002", offerer: true });
        await settle();

        assert.deepEqual(states, ["RINGING", "IN_CALL"]);
        assert.equal(peers.length, 1, "one peer connection, from the port");
        assert.equal(port.sent.filter(message => message.type === "sdp").map(message => message.description.type)[0], "offer");
        assert.equal(call.getEndReason(), null);
    });

    it("fails with a reason when started before access is granted, and sends nothing", async () => {
        const port = fakePort();
        port.connected = false;
        const call = outgoing(port);

        call.start();
        const states = recordStates(call);
        await settle();

        assert.deepEqual(states, ["ERROR"]);
        assert.match(call.getEndReason(), /^not connected to a webphone line/);
        assert.deepEqual(port.sent, []);
    });

    it("ignores a second start()", () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.start();
        assert.equal(port.sent.length, 1);
        assert.ok(consoleLines.some(line => line.includes("start is not allowed in phase DIALLING")), consoleLines.join("\n"));
    });

    for (const [state, reason] of [["BUSY", "the other party is in another call"],
        ["NOT_FOUND", "no client with this number is online"]]) {
        it(`ends ${state} when the server says so instead of RINGING, and says why`, async () => {
            const port = fakePort();
            const call = outgoing(port);
            call.start();
            call.handleCallState({ state });
            const states = recordStates(call);
            await settle();
            assert.deepEqual(states, [state]);
            assert.equal(call.getEndReason(), reason);
            assert.equal(port.calls.size, 0, "the port forgot the call");
            assert.ok(microphone.requests[0].stream.getTracks().every(track => track.stopped), "the microphone is released");
        });
    }

    it("ends REJECTED when the ringing callee declines, with the server's reason when it gives one", async () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.handleCallState({ state: "RINGING" });
        call.handleCallState({ state: "REJECTED", reason: "declined" });
        assert.equal(call.getCallState(), "REJECTED");
        assert.equal(call.getEndReason(), "declined");
    });

    it("connects at once after simultaneous dialling, without RINGING", async () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.handleCallState({ state: "IN_CALL", offerer: false });
        const states = recordStates(call);
        await settle();
        assert.deepEqual(states, ["IN_CALL"]);
        assert.equal(peers.length, 1);
    });

    it("hangs up once however often hangUp() is called, and throws nothing", async () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.handleCallState({ state: "RINGING" });

        call.hangUp();
        call.hangUp();
        call.handleCallState({ state: "COMPLETED" });

        assert.deepEqual(port.sent.slice(1), [{ type: "hangup", callId: "c1" }]);
        assert.equal(call.getCallState(), "COMPLETED");
        assert.equal(call.getEndReason(), "hung up by this side");
    });

    it("hanging up a call that was never started sends nothing", () => {
        const port = fakePort();
        const call = outgoing(port);
        call.hangUp();
        assert.equal(call.getCallState(), "COMPLETED");
        assert.deepEqual(port.sent, []);
    });
});

describe("an incoming call", () => {
    it("is RINGING from the start", async () => {
        const port = fakePort();
        const call = incoming(port);
        const states = recordStates(call);
        await settle();
        assert.deepEqual(states, ["RINGING"]);
        assert.equal(port.calls.get("c9"), call);
    });

    it("sends accept only once the microphone is granted, and only once", async () => {
        load({ holdMicrophone: true });
        const port = fakePort();
        const call = incoming(port);

        call.accept();
        call.accept();
        await settle();
        assert.deepEqual(port.sent, [], "nothing before the microphone is granted");
        assert.equal(microphone.requests.length, 1);
        assert.equal(call.getCallState(), "RINGING");

        microphone.requests[0].grant();
        await settle();
        assert.deepEqual(port.sent, [{ type: "accept", callId: "c9" }]);
    });

    it("ends as ERROR when the microphone is denied, and tells the server why", async () => {
        load({ holdMicrophone: true });
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        microphone.requests[0].deny();
        await settle();

        assert.equal(call.getCallState(), "ERROR");
        assert.equal(call.getEndReason(), "microphone unavailable (NotAllowedError: Permission denied)");
        assert.deepEqual(port.sent, [{ type: "hangup", callId: "c9", reason: call.getEndReason() }]);
    });

    it("sends no accept, and stops the microphone on arrival, when hung up while the prompt is open", async () => {
        load({ holdMicrophone: true });
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        call.hangUp();
        microphone.requests[0].grant();
        await settle();

        assert.deepEqual(port.sent, [{ type: "hangup", callId: "c9" }]);
        assert.ok(microphone.requests[0].stream.getTracks().every(track => track.stopped), "the late stream is stopped");
    });

    it("is declined by reject(), which the page sees as COMPLETED", async () => {
        const port = fakePort();
        const call = incoming(port);
        call.reject();
        const states = recordStates(call);
        await settle();

        assert.deepEqual(port.sent, [{ type: "reject", callId: "c9" }]);
        assert.deepEqual(states, ["RINGING", "COMPLETED"]);
        assert.equal(call.getEndReason(), "rejected by this side");
    });

    it("cannot be rejected once it is being answered", () => {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        call.reject();
        assert.equal(call.getCallState(), "RINGING");
        assert.ok(!port.sent.some(message => message.type === "reject"));
    });

    it("ends as ERROR when the server connects it without an answer from this page", async () => {
        const port = fakePort();
        const call = incoming(port);
        call.handleCallState({ state: "IN_CALL", offerer: false });

        assert.equal(call.getCallState(), "ERROR");
        assert.equal(call.getEndReason(), "the server reported IN_CALL in phase INCOMING");
        assert.deepEqual(port.sent, [{ type: "hangup", callId: "c9", reason: call.getEndReason() }]);
        assert.equal(peers.length, 0, "no media for a call nobody answered");
    });

    it("is superseded by a merged simultaneous dial with the reason merged", () => {
        const port = fakePort();
        const call = incoming(port);
        call.handleCallState({ state: "COMPLETED", reason: "merged" });
        assert.equal(call.getCallState(), "COMPLETED");
        assert.equal(call.getEndReason(), "merged");
    });

    it("refuses an error from the server before it is answered: ERROR, and hangup with the refusal", () => {
        const port = fakePort();
        const call = incoming(port);
        call.handleError({ code: "INVALID_STATE", message: "not ringing" });
        assert.equal(call.getCallState(), "ERROR");
        assert.deepEqual(port.sent, [{ type: "hangup", callId: "c9", reason: "the server refused the call: INVALID_STATE not ringing" }]);
    });
});

describe("an established call", () => {
    async function established() {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", offerer: false });
        await settle();
        return { port, call };
    }

    it("ignores a state the table does not allow, loudly, and carries on", async () => {
        const { call } = await established();
        call.handleCallState({ state: "BUSY" });
        call.handleCallState({ state: "RINGING" });
        assert.equal(call.getCallState(), "IN_CALL");
        assert.ok(consoleLines.some(line => line.startsWith("warn") && line.includes("server:BUSY is not allowed in phase IN_CALL")),
            consoleLines.join("\n"));
        assert.ok(consoleLines.some(line => line.includes("server:RINGING is not allowed in phase IN_CALL")));
    });

    it("ignores an unknown state", async () => {
        const { call } = await established();
        call.handleCallState({ state: "SPINNING" });
        assert.equal(call.getCallState(), "IN_CALL");
    });

    it("goes on HOLD and back on the media it already has", async () => {
        const { call } = await established();
        const states = recordStates(call);
        call.handleCallState({ state: "HOLD" });
        call.handleCallState({ state: "IN_CALL" });
        await settle();
        assert.deepEqual(states, ["RINGING", "IN_CALL", "HOLD", "IN_CALL"]);
        assert.equal(peers.length, 1);
    });

    it("only logs an error from the server about one message", async () => {
        const { call } = await established();
        call.handleError({ code: "RATE_LIMITED" });
        assert.equal(call.getCallState(), "IN_CALL");
    });

    it("ends COMPLETED when the server connection is lost, and says so", async () => {
        const { call } = await established();
        call.handleConnectionLost();
        assert.equal(call.getCallState(), "COMPLETED");
        assert.equal(call.getEndReason(), "the server connection was lost");
    });

    it("ends with the other party's hang-up, releasing microphone, playback and peer connection", async () => {
        const { port, call } = await established();
        call.handleCallState({ state: "COMPLETED" });

        assert.equal(call.getEndReason(), "the other party ended the call");
        assert.ok(microphone.requests[0].stream.getTracks().every(track => track.stopped));
        assert.equal(peers[0].signalingState, "closed");
        assert.equal(document.elements.length, 0, "the remote audio element is gone");
        assert.equal(port.calls.size, 0);
    });

    it("ends as ERROR when media fails, and a later failure changes nothing", async () => {
        const { port, call } = await established();
        peers[0].iceConnectionState = "failed";
        peers[0].oniceconnectionstatechange({});
        call.handleConnectionLost();

        assert.equal(call.getCallState(), "ERROR");
        assert.equal(call.getEndReason(), "ICE failed: no network path to the other party");
        assert.deepEqual(port.sent.filter(message => message.type === "hangup"),
            [{ type: "hangup", callId: "c9", reason: "ICE failed: no network path to the other party" }]);
    });

    it("plays the other party in an audio element the page and tests can find", async () => {
        const { call } = await established();
        // The remote side of this fake call: offer from the other peer, as the server would relay it.
        const other = new FakePeerConnection();
        other.addTrack({ kind: "audio" }, new FakeMediaStream());
        await other.setLocalDescription();
        call.handleSignal({ type: "sdp", description: { type: other.localDescription.type, sdp: other.localDescription.sdp } });
        await settle();

        const audio = document.elements.find(element => element.tag === "audio");
        assert.ok(audio, "an audio element was added");
        assert.equal(audio.attributes["data-call-id"], "c9");
        assert.ok(audio.srcObject, "it plays the remote stream");
    });
});

describe("the Call methods the contract lists but this client does not support yet", () => {
    for (const name of NOT_YET_SUPPORTED) {
        it(`${name}() throws an Error naming it, not a TypeError`, () => {
            const call = outgoing(fakePort());
            assert.equal(typeof call[name], "function");
            assert.throws(() => call[name]("1003"), error =>
                !(error instanceof TypeError) && error.name === "NotSupportedError"
                && error.message === `WebphoneAPI: Call.${name}() is not supported by this server yet`);
        });
    }

    it("lists exactly those", () => {
        assert.deepEqual([...api.CALL_METHODS_NOT_SUPPORTED], NOT_YET_SUPPORTED);
    });

    it("and every Call method of the contract exists", () => {
        const call = outgoing(fakePort());
        for (const name of ["start", "accept", "reject", "hangUp", "onCallStateChanged", "getCallState", "getOtherParty",
            "getEndReason", "getCallType", "setRemoteDisplay", "attachCamera", ...NOT_YET_SUPPORTED]) {
            assert.equal(typeof call[name], "function", name);
        }
    });
});
