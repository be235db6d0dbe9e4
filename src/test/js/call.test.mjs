// The Call through its phases, driven as the client drives it: through its port, with the server's
// messages handed to its handle* methods, a fake microphone and a fake RTCPeerConnection.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi, recordingConsole, settle } from "./support/webphone-api.mjs";
import { FakeClock, FakeDocument, FakeMediaStream, FakeMicrophone } from "./support/fake-browser.mjs";
import { FakePeerConnection } from "./support/fake-peer-connection.mjs";

// Every Call method of the contract (webphone-api.md) this client does not implement yet.
const NOT_YET_SUPPORTED = [];

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

    it("offers while ringing when the server asks (a SIP phone), and not again on the answer", async () => {
        const port = fakePort();
        const call = outgoing(port, "9100");
        call.start();
        const states = recordStates(call);
        call.handleCallState({ state: "RINGING", otherParty: "9100", offerer: true });
        await settle();

        assert.equal(peers.length, 1, "the peer connection is made while the call rings");
        const offers = () => port.sent.filter(message => message.type === "sdp" && message.description.type === "offer");
        assert.equal(offers().length, 1);
        // The answer Janus sends for the SIP phone: a peer that answers the offer.
        const phone = new FakePeerConnection({});
        await phone.setRemoteDescription(offers()[0].description);
        await phone.setLocalDescription();
        call.handleSignal({ type: "sdp", callId: "c1", description: { type: "answer", sdp: phone.localDescription.sdp } });
        call.handleCallState({ state: "IN_CALL", otherParty: "9100" });
        await settle();

        assert.deepEqual(states, ["RINGING", "IN_CALL"]);
        assert.equal(peers.length, 1, "the answer goes on with the peer connection of the early offer");
        assert.equal(offers().length, 1);
    });

    it("ends BUSY or NOT_FOUND after ringing, as a SIP phone turns a call down", async () => {
        for (const state of ["BUSY", "NOT_FOUND"]) {
            const port = fakePort();
            const call = outgoing(port, "9100");
            call.start();
            const states = recordStates(call);
            call.handleCallState({ state: "RINGING", otherParty: "9100", offerer: true });
            await settle();
            call.handleCallState({ state, otherParty: "9100", reason: "the SIP phone said so" });
            await settle();

            assert.deepEqual(states, ["RINGING", state]);
            assert.equal(call.getEndReason(), "the SIP phone said so");
            assert.equal(peers[0].signalingState, "closed", "the early offer's peer connection is closed");
        }
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

describe("hold, mute, messages and DTMF in a call", () => {
    async function established({ offerer = false } = {}) {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", offerer });
        await settle();
        port.sent.length = 0;
        return { port, call, peer: peers[0], microphoneTrack: microphone.requests[0].stream.getTracks()[0] };
    }

    const sending = peer => peer.getSenders().map(sender => sender.track);

    it("asks the server to hold, and stops sending only once the server says HOLD", async () => {
        const { port, call, peer, microphoneTrack } = await established({ offerer: true });
        const negotiated = peer.offersMade + peer.answersMade;
        call.hold();
        await settle();
        assert.deepEqual(port.sent, [{ type: "hold", callId: "c9" }]);
        assert.equal(call.getCallState(), "IN_CALL", "the server decides");
        assert.deepEqual(sending(peer), [microphoneTrack]);

        call.handleCallState({ state: "HOLD" });
        await settle();
        assert.equal(call.getCallState(), "HOLD");
        assert.deepEqual(sending(peer), [null], "nothing goes out while held");
        assert.equal(peer.offersMade + peer.answersMade, negotiated, "holding does not renegotiate");
    });

    it("takes the call off hold with either spelling, and sends the same microphone again", async () => {
        for (const spelling of ["unHold", "unhold"]) {
            load();
            const { port, call, peer, microphoneTrack } = await established();
            call.handleCallState({ state: "HOLD" });
            await settle();
            call[spelling]();
            assert.deepEqual(port.sent, [{ type: "unhold", callId: "c9" }], spelling);
            call.handleCallState({ state: "IN_CALL" });
            await settle();
            assert.equal(call.getCallState(), "IN_CALL");
            assert.deepEqual(sending(peer), [microphoneTrack], spelling);
            assert.equal(peers.length, 1, "the same media session");
        }
    });

    it("is held by the other party too: HOLD silences this side until the server says IN_CALL", async () => {
        const { call, peer, microphoneTrack } = await established({ offerer: true });
        const states = recordStates(call);
        call.handleCallState({ state: "HOLD", otherParty: "1001" });
        await settle();
        assert.deepEqual(sending(peer), [null]);
        call.handleCallState({ state: "IN_CALL", otherParty: "1001" });
        await settle();
        assert.deepEqual(sending(peer), [microphoneTrack]);
        assert.deepEqual(states, ["RINGING", "IN_CALL", "HOLD", "IN_CALL"]);
    });

    it("refuses hold() and unHold() in phases they do not fit, with a warning and nothing sent", async () => {
        const port = fakePort();
        const call = incoming(port);
        call.hold();
        call.unHold();
        assert.deepEqual(port.sent, []);
        assert.ok(consoleLines.some(line => line.startsWith("warn") && line.includes("hold is not allowed in phase INCOMING")),
            consoleLines.join("\n"));

        const connected = await established();
        connected.call.unHold();
        connected.call.handleCallState({ state: "HOLD" });
        connected.call.hold();
        connected.call.handleCallState({ state: "COMPLETED" });
        connected.call.hold();
        assert.deepEqual(connected.port.sent, []);
        assert.ok(consoleLines.some(line => line.includes("unhold is not allowed in phase IN_CALL")));
        assert.ok(consoleLines.some(line => line.includes("hold is not allowed in phase HOLD")));
        assert.ok(consoleLines.some(line => line.includes("hold is not allowed in phase COMPLETED")));
    });

    it("mutes locally: the microphone sends silence, the call stays IN_CALL and the server hears nothing", async () => {
        const { port, call, microphoneTrack } = await established();
        const states = recordStates(call);
        assert.equal(call.isMuted(), false);
        call.mute();
        await settle();
        assert.equal(call.isMuted(), true);
        assert.equal(microphoneTrack.enabled, false);
        assert.equal(call.getCallState(), "IN_CALL");
        call.unmute();
        await settle();
        assert.equal(microphoneTrack.enabled, true);
        call.mute();
        call.unMute();
        await settle();
        assert.equal(call.isMuted(), false);
        assert.equal(microphoneTrack.enabled, true);
        assert.deepEqual(states, ["RINGING", "IN_CALL"]);
        assert.deepEqual(port.sent, []);
    });

    it("mutes a microphone that is granted later, and stays muted across a hold", async () => {
        load({ holdMicrophone: true });
        const port = fakePort();
        const call = incoming(port);
        call.mute();
        call.accept();
        microphone.requests[0].grant();
        await settle();
        const track = microphone.requests[0].stream.getTracks()[0];
        assert.equal(track.enabled, false, "muted before the microphone was granted");
        call.handleCallState({ state: "IN_CALL", offerer: false });
        call.handleCallState({ state: "HOLD" });
        call.handleCallState({ state: "IN_CALL" });
        await settle();
        assert.equal(track.enabled, false);
        assert.equal(call.isMuted(), true);
    });

    it("sends messages in IN_CALL and HOLD only, and refuses empty or too long ones", async () => {
        const { port, call } = await established();
        assert.equal(call.sendMessage("hello"), true);
        call.handleCallState({ state: "HOLD" });
        assert.equal(call.sendMessage(42), true, "anything is sent as its text");
        assert.equal(call.sendMessage(""), false);
        assert.equal(call.sendMessage("x".repeat(2001)), false);
        assert.equal(call.sendMessage("x".repeat(2000)), true);
        call.handleCallState({ state: "COMPLETED" });
        assert.equal(call.sendMessage("too late"), false);
        assert.deepEqual(port.sent.map(message => message.text && message.text.length > 10 ? message.text.length : message.text),
            ["hello", "42", 2000]);
        assert.ok(port.sent.every(message => message.type === "message" && message.callId === "c9"));
        assert.ok(consoleLines.some(line => line.includes("sendMessage is not allowed in phase COMPLETED")));
    });

    it("refuses to send a message before the call is answered", () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.handleCallState({ state: "RINGING" });
        assert.equal(call.sendMessage("hello?"), false);
        assert.deepEqual(port.sent.map(message => message.type), ["dial"]);
    });

    it("hands the other party's messages to onMessageReceived as text that knows who sent it, a late handler too", async () => {
        const { call } = await established();
        call.handlePartyMessage({ type: "message", callId: "c9", text: "first" });
        call.handleCallState({ state: "HOLD" });
        call.handlePartyMessage({ type: "message", callId: "c9", text: "second" });
        const received = [];
        call.onMessageReceived(message => received.push(message));
        await settle();
        assert.deepEqual(received.map(String), ["first", "second"]);
        assert.ok(received[0] == "first", "compares as the text itself");
        assert.equal(received[1].text, "second");
        assert.equal(received[1].from, "1001");

        call.handleCallState({ state: "COMPLETED" });
        call.handlePartyMessage({ type: "message", callId: "c9", text: "after the end" });
        await settle();
        assert.equal(received.length, 2);
    });

    it("sends DTMF as tones on the audio sender and as a message, upper-cased", async () => {
        const { port, call, peer } = await established();
        assert.equal(call.sendDtmf("12*#ab"), true);
        await settle();
        assert.deepEqual(port.sent, [{ type: "dtmf", callId: "c9", digits: "12*#AB" }]);
        assert.deepEqual(peer.getSenders()[0].dtmf.inserted, ["12*#AB"]);
        for (const wrong of ["", "12E", "1 2", "1".repeat(33), null]) {
            assert.equal(call.sendDtmf(wrong), false, String(wrong));
        }
        assert.equal(port.sent.length, 1);
    });

    it("still sends DTMF as a message when the browser cannot send the tones", async () => {
        const { port, call, peer } = await established();
        peer.getSenders()[0].dtmf.canInsertDTMF = false;
        assert.equal(call.sendDtmf("5"), true);
        await settle();
        assert.deepEqual(port.sent, [{ type: "dtmf", callId: "c9", digits: "5" }]);
        assert.deepEqual(peer.getSenders()[0].dtmf.inserted, []);
    });

    it("hands the other party's DTMF to onDtmfReceived", async () => {
        const { call } = await established();
        const received = [];
        call.onDtmfReceived(digits => received.push(digits));
        call.handlePartyMessage({ type: "dtmf", callId: "c9", digits: "9#" });
        await settle();
        assert.equal(received.length, 1);
        assert.ok(received[0] == "9#");
        assert.equal(received[0].digits, "9#");
        assert.equal(received[0].from, "1001");
    });

    it("resumes a held call as HOLD and restarts ICE when it makes the offers", async () => {
        const { call, peer } = await established({ offerer: true });
        call.handleResumed({ state: "HOLD", otherParty: "1001", offerer: true }, []);
        await settle();
        assert.equal(call.getCallState(), "HOLD");
        assert.deepEqual(sending(peer), [null]);
        assert.ok(peer.offersMade >= 2, "an ICE restart offer after the first");
    });
});

describe("forward()", () => {
    it("sends the ringing call on and resolves once the server confirms; the call ends here as forwarded", async () => {
        const port = fakePort();
        const call = incoming(port);
        const states = recordStates(call);
        const forwarded = call.forward("1003");

        assert.deepEqual(port.sent, [{ type: "forward", callId: "c9", to: "1003" }]);
        assert.equal(call.getCallState(), "RINGING", "still ringing here until the server says so");
        call.handleCallState({ state: "COMPLETED", otherParty: "1001", reason: "forwarded", redirect: "forwarded" });
        assert.equal(await forwarded, undefined);
        await settle();

        assert.deepEqual(states, ["RINGING", "COMPLETED"]);
        assert.equal(call.getEndReason(), "forwarded");
        assert.equal(microphone.requests.length, 0, "a forwarded call never asks for the microphone");
        assert.equal(port.calls.size, 0);
    });

    it("is rejected with the server's code when refused, and the call rings on to be answered", async () => {
        const port = fakePort();
        const call = incoming(port);
        const forwarded = call.forward("1003");
        call.handleError({ code: "BUSY", message: "The client with number '1003' is in another call", callId: "c9" });

        await assert.rejects(forwarded, error => error.name === "RedirectRefusedError" && error.code === "BUSY"
            && error.message.includes("Call.forward() refused: BUSY"));
        assert.equal(call.getCallState(), "RINGING");
        call.accept();
        await settle();
        assert.deepEqual(port.sent.map(message => message.type), ["forward", "accept"]);
    });

    it("is rejected at once, sending nothing, without a number, on an outgoing call, or twice", async () => {
        const port = fakePort();
        const call = incoming(port);
        await assert.rejects(call.forward(), error => error.code === "INVALID_TARGET");
        await assert.rejects(call.forward(null), error => error.code === "INVALID_TARGET");
        const pending = call.forward("");
        await assert.rejects(call.forward("1004"), error => error.code === "INVALID_STATE");
        assert.deepEqual(port.sent, [{ type: "forward", callId: "c9", to: "" }], "an empty number is the default route");

        const outgoingCall = outgoing(port);
        outgoingCall.start();
        outgoingCall.handleCallState({ state: "RINGING" });
        await assert.rejects(outgoingCall.forward("1004"), error => error.code === "INVALID_STATE");
        assert.ok(!port.sent.some(message => message.type === "forward" && message.callId === "c1"));
        call.handleCallState({ state: "COMPLETED", reason: "forwarded", redirect: "forwarded" });
        await pending;
    });

    it("is rejected when the caller gives up first", async () => {
        const port = fakePort();
        const call = incoming(port);
        const forwarded = call.forward("1003");
        call.handleCallState({ state: "COMPLETED", otherParty: "1001" });
        await assert.rejects(forwarded, error => error.code === "CALL_ENDED");
        assert.equal(call.getEndReason(), "the other party ended the call");
    });

    it("is rejected when the page hangs up first, or the connection is lost", async () => {
        for (const end of [call => call.hangUp(), call => call.handleConnectionLost()]) {
            const call = incoming(fakePort());
            const forwarded = call.forward("1003");
            end(call);
            await assert.rejects(forwarded, error => error.code === "CALL_ENDED");
            assert.equal(call.getCallState(), "COMPLETED");
        }
    });

    it("of the other party tells the caller its new other party, and the call rings on", async () => {
        const port = fakePort();
        const call = outgoing(port);
        call.start();
        call.handleCallState({ state: "RINGING", otherParty: "1002" });
        const states = recordStates(call);
        const parties = [];
        call.onOtherPartyChanged(party => parties.push(party));
        call.handleCallState({ state: "RINGING", otherParty: "1003", reason: "forwarded", redirect: "forwarded" });
        await settle();

        assert.deepEqual(parties, ["1003"]);
        assert.equal(call.getOtherParty(), "1003");
        assert.deepEqual(states, ["RINGING"], "no new state: it was ringing and rings on");
        call.handleCallState({ state: "IN_CALL", otherParty: "1003", offerer: true });
        assert.equal(call.getCallState(), "IN_CALL");
        assert.equal(peers.length, 1);
    });
});

describe("transfer()", () => {
    async function established() {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", otherParty: "1001", offerer: false });
        await settle();
        return { port, call };
    }

    it("keeps the call up while the server decides, then resolves, ends it here and releases the media", async () => {
        const { port, call } = await established();
        const states = recordStates(call);
        const transferred = call.transfer("1003");

        assert.deepEqual(port.sent.at(-1), { type: "transfer", callId: "c9", to: "1003" });
        assert.equal(call.getCallState(), "IN_CALL");
        assert.notEqual(peers[0].signalingState, "closed", "the conversation goes on meanwhile");
        call.handleCallState({ state: "COMPLETED", otherParty: "1001", reason: "transferred", redirect: "transferred" });
        await transferred;
        await settle();

        assert.deepEqual(states, ["RINGING", "IN_CALL", "COMPLETED"]);
        assert.equal(call.getEndReason(), "transferred");
        assert.equal(peers[0].signalingState, "closed");
        assert.ok(microphone.requests[0].stream.getTracks().every(track => track.stopped));
    });

    it("is rejected with the server's code when refused, and the call goes on as it was", async () => {
        const { call } = await established();
        const states = recordStates(call);
        const transferred = call.transfer("1002");
        call.handleError({ code: "INVALID_TARGET", message: "one of its own parties", callId: "c9" });
        await assert.rejects(transferred, error => error.code === "INVALID_TARGET");
        await settle();

        assert.equal(call.getCallState(), "IN_CALL");
        assert.deepEqual(states, ["RINGING", "IN_CALL"], "the page saw no change");
        assert.notEqual(peers[0].signalingState, "closed");
        call.handleError({ code: "RATE_LIMITED" });
        assert.equal(call.getCallState(), "IN_CALL", "a later refusal is only logged, as before");
    });

    it("is refused before the call is answered", async () => {
        const port = fakePort();
        const call = incoming(port);
        await assert.rejects(call.transfer("1003"), error => error.code === "INVALID_STATE");
        assert.deepEqual(port.sent, []);
    });

    it("is rejected when the other party transfers this side first, which rings at its target", async () => {
        const { call } = await established();
        const transferred = call.transfer("1003");
        call.handleCallState({ state: "RINGING", otherParty: "1004", reason: "transferred", redirect: "transferred" });
        await assert.rejects(transferred, error => error.code === "INVALID_STATE"
            && error.message.includes("the other party transferred first"));
        assert.equal(call.getCallState(), "RINGING");
        assert.equal(call.getOtherParty(), "1004");
        call.handleError({ code: "INVALID_STATE", message: "The call is RINGING" });
        assert.equal(call.getCallState(), "RINGING", "the refusal of the late transfer is only logged");
    });
});

describe("transfer() and hold", () => {
    async function held() {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", otherParty: "1001", offerer: false });
        call.handleCallState({ state: "HOLD" });
        await settle();
        return { port, call };
    }

    it("transfers a held call: the call stays HOLD until the server confirms", async () => {
        const { port, call } = await held();
        const states = recordStates(call);
        const transferred = call.transfer("1003");
        assert.deepEqual(port.sent.at(-1), { type: "transfer", callId: "c9", to: "1003" });
        assert.equal(call.getCallState(), "HOLD");
        await assert.rejects(call.transfer("1004"), error => error.code === "INVALID_STATE"
            && error.message.includes("waits for the server already"));
        call.handleCallState({ state: "COMPLETED", otherParty: "1001", reason: "transferred", redirect: "transferred" });
        await transferred;
        await settle();
        assert.deepEqual(states, ["RINGING", "IN_CALL", "HOLD", "COMPLETED"]);
    });

    it("keeps a held call held when the transfer is refused", async () => {
        const { call } = await held();
        const transferred = call.transfer("1003");
        call.handleError({ code: "BUSY", message: "in another call", callId: "c9" });
        await assert.rejects(transferred, error => error.code === "BUSY");
        assert.equal(call.getCallState(), "HOLD");
        call.handleCallState({ state: "IN_CALL" });
        assert.equal(call.getCallState(), "IN_CALL");
    });

    it("lets a transfer wait through a hold that comes meanwhile", async () => {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", otherParty: "1001", offerer: false });
        const transferred = call.transfer("1003");
        call.handleCallState({ state: "HOLD" });
        assert.equal(call.getCallState(), "HOLD");
        call.handleCallState({ state: "IN_CALL" });
        call.handleError({ code: "NOT_FOUND", message: "not online", callId: "c9" });
        await assert.rejects(transferred, error => error.code === "NOT_FOUND");
        assert.equal(call.getCallState(), "IN_CALL");
        const again = call.transfer("1004");
        call.handleCallState({ state: "HOLD" });
        call.handleCallState({ state: "COMPLETED", reason: "transferred", redirect: "transferred" });
        await again;
        assert.equal(call.getCallState(), "COMPLETED");
    });

    it("rings a party transferred while held at the target, and sends its microphone again once answered", async () => {
        const { port, call } = await held();
        const microphoneTrack = microphone.requests[0].stream.getTracks()[0];
        assert.deepEqual(peers[0].getSenders().map(sender => sender.track), [null], "nothing sent while held");
        call.handleCallState({ state: "RINGING", otherParty: "1003", reason: "transferred", redirect: "transferred" });
        assert.equal(call.getCallState(), "RINGING");
        assert.equal(peers[0].signalingState, "closed");
        call.handleCallState({ state: "IN_CALL", otherParty: "1003", offerer: true });
        await settle();
        assert.equal(call.getCallState(), "IN_CALL");
        assert.deepEqual(peers[1].getSenders().map(sender => sender.track), [microphoneTrack],
            "the call with the target is not held");
        assert.ok(port.sent.some(message => message.type === "sdp" && message.description.type === "offer"));
    });
});

describe("a call transferred by the other party", () => {
    it("rings at the new party, drops the old media path, and connects afresh with a new peer connection", async () => {
        const port = fakePort();
        const call = incoming(port);
        call.accept();
        await settle();
        call.handleCallState({ state: "IN_CALL", otherParty: "1001", offerer: false });
        await settle();
        const states = recordStates(call);
        const parties = [];
        call.onOtherPartyChanged(party => parties.push(`${party} (${call.getCallState()})`));

        call.handleCallState({ state: "RINGING", otherParty: "1003", reason: "transferred", redirect: "transferred" });
        await settle();
        assert.deepEqual(states, ["RINGING", "IN_CALL", "RINGING"]);
        assert.deepEqual(parties, ["1003 (RINGING)"]);
        assert.equal(peers[0].signalingState, "closed", "nothing more goes to the old party");
        assert.equal(document.elements.length, 0, "nor is it played");
        assert.ok(microphone.requests[0].stream.getTracks().every(track => !track.stopped), "the microphone stays on");
        call.handleError({ code: "INVALID_STATE", message: "Media negotiation needs a connected call; this one is RINGING" });
        assert.equal(call.getCallState(), "RINGING", "a late offer refused meanwhile is no failure");

        call.handleCallState({ state: "IN_CALL", otherParty: "1003", offerer: true });
        await settle();
        assert.deepEqual(states, ["RINGING", "IN_CALL", "RINGING", "IN_CALL"]);
        assert.equal(peers.length, 2, "a fresh peer connection for the new party");
        const offers = port.sent.filter(message => message.type === "sdp" && message.description.type === "offer");
        assert.equal(offers.length, 1, "this side offers to the new party, as the offerer");
        assert.equal(microphone.requests.length, 1, "on the microphone it already had");
        assert.equal(call.getEndReason(), null);
    });

    it("ignores a redirect the phase does not allow", async () => {
        const call = incoming(fakePort());
        call.handleCallState({ state: "RINGING", otherParty: "1003", redirect: "transferred" });
        call.handleCallState({ state: "COMPLETED", otherParty: "1003", redirect: "transferred" });
        assert.equal(call.getCallState(), "RINGING");
        assert.equal(call.getOtherParty(), "1001");
        assert.ok(consoleLines.some(line => line.includes("redirected:COMPLETED is not allowed in phase INCOMING")),
            consoleLines.join("\n"));
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
            "getEndReason", "getCallType", "setRemoteDisplay", "attachCamera", "hold", "unHold", "unhold", "sendMessage",
            "onMessageReceived", "mute", "unMute", "unmute", "isMuted", "sendDtmf", "onDtmfReceived", "forward", "transfer",
            "onOtherPartyChanged", ...NOT_YET_SUPPORTED]) {
            assert.equal(typeof call[name], "function", name);
        }
    });
});
