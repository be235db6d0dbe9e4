// Two browser tabs, each a whole client in front of its own fakes (socket, microphone and camera,
// document, RTCPeerConnection), joined to a line whose server the test plays: relayCall() passes one
// call's messages between them as docs/protocol.md says the server does.
import { loadWebphoneApi, recordingConsole } from "./webphone-api.mjs";
import { FakeClock, FakeDocument, FakeMediaStream, FakeMicrophone, fakeWebSocketClass } from "./fake-browser.mjs";
import { FakePeerConnection } from "./fake-peer-connection.mjs";

/**
 * One tab. camera: what a request for the camera meets ("granted", "denied", "absent"; see
 * FakeMicrophone). The tab's peer connections are in peers, its console lines in consoleLines.
 */
export function tab({ camera = "granted" } = {}) {
    const WebSocket = fakeWebSocketClass();
    const clock = new FakeClock();
    const recorder = recordingConsole();
    const microphone = new FakeMicrophone({ camera });
    const document = new FakeDocument();
    const peers = [];
    const api = loadWebphoneApi({
        document, navigator: microphone.navigator, console: recorder, WebSocket, MediaStream: FakeMediaStream,
        setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout
    });
    const client = new api.WebphoneClient({
        PeerConnection: class extends FakePeerConnection {
            constructor(configuration) {
                super(configuration);
                peers.push(this);
            }
        }
    });
    return { api, client, WebSocket, clock, microphone, document, peers, consoleLines: recorder.lines };
}

/** Connects the tab and grants it phoneNumber; returns its socket. */
export function joined(side, phoneNumber) {
    side.client.connect("", "Webphone1");
    side.WebSocket.last.open();
    side.WebSocket.last.serverSends({
        type: "access-granted", line: "Webphone1", phoneNumber, iceServers: [], iceTransportPolicy: "all"
    });
    side.phoneNumber = phoneNumber;
    side.socket = side.WebSocket.last;
    return side.socket;
}

/**
 * Plays the server for one call from caller to callee (both joined): ringing, incoming with the
 * dial's callType, IN_CALL once the callee accepts (offerer: "caller" or "callee" gets offerer: true),
 * sdp and ice relayed, hangup ending it for both. Messages arrive later, as over a network.
 */
export function relayCall(caller, callee, { offerer = "caller" } = {}) {
    let callId;
    const forward = (to, message) => setImmediate(() => to.socket.serverSends(message));
    const ends = () => {
        forward(caller, { type: "call-state", callId, state: "COMPLETED", otherParty: callee.phoneNumber });
        forward(callee, { type: "call-state", callId, state: "COMPLETED", otherParty: caller.phoneNumber });
    };
    intercept(caller.socket, message => {
        if (message.type === "dial") {
            callId = message.callId;
            forward(caller, { type: "call-state", callId, state: "RINGING", otherParty: callee.phoneNumber });
            forward(callee, { type: "incoming", callId, from: caller.phoneNumber, callType: message.callType, properties: {} });
        } else if (message.type === "sdp" || message.type === "ice") {
            forward(callee, message);
        } else if (message.type === "hangup") {
            ends();
        }
    });
    intercept(callee.socket, message => {
        if (message.type === "accept") {
            forward(caller, { type: "call-state", callId, state: "IN_CALL", otherParty: callee.phoneNumber, offerer: offerer === "caller" });
            forward(callee, { type: "call-state", callId, state: "IN_CALL", otherParty: caller.phoneNumber, offerer: offerer === "callee" });
        } else if (message.type === "sdp" || message.type === "ice") {
            forward(caller, message);
        } else if (message.type === "hangup") {
            ends();
        }
    });
}

function intercept(socket, onMessage) {
    const send = socket.send.bind(socket);
    socket.send = text => {
        send(text);
        onMessage(JSON.parse(text));
    };
}

/** The offers and answers a tab sent, each with its m-lines as {kind, direction}. */
export function sentDescriptions(side) {
    return side.socket.sentOfType("sdp").map(message => ({
        type: message.description.type,
        mlines: JSON.parse(message.description.sdp).mlines.map(({ kind, direction }) => ({ kind, direction }))
    }));
}
