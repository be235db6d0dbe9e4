// Forward and transfer between three whole clients over fake sockets, microphones, cameras and
// RTCPeerConnections, on a fake line that plays the server (support/fake-line.mjs): the party that
// stays rings at the target and connects with it on a fresh peer connection, the one that moved is
// free, and a refusal leaves the call as it was.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { settle } from "./support/webphone-api.mjs";
import { joined, tab } from "./support/two-tabs.mjs";
import { FakeLine } from "./support/fake-line.mjs";

// Ann (1001), Bob (1002) and Cid (1003) on one line; each page has the elements "remote" and "self".
function threeTabs() {
    const line = new FakeLine();
    const tabs = { line };
    for (const [name, number] of [["ann", "1001"], ["bob", "1002"], ["cid", "1003"]]) {
        const side = tab();
        side.document.addPageElement("div", "remote");
        side.document.addPageElement("div", "self");
        line.attach(number, joined(side, number));
        side.calls = [];
        tabs[name] = side;
    }
    return tabs;
}

// The side's page answers every call that comes in, showing its video in the page's elements.
function answersEveryCall(side) {
    side.client.onIncomingCall(call => {
        side.calls.push(call);
        call.setRemoteDisplay("remote");
        call.setLocalDisplay("self");
        call.accept();
    });
}

function startCall(side, number, callType = "AUDIO") {
    const call = side.client.createCall(number, callType);
    call.setRemoteDisplay("remote");
    call.setLocalDisplay("self");
    call.start();
    side.states = [];
    side.parties = [];
    call.onCallStateChanged(state => side.states.push(state));
    call.onOtherPartyChanged(party => side.parties.push(party));
    return call;
}

// The tracks the <video> inside the element with this id shows; [] when none.
function shown(side, id) {
    const video = side.document.getElementById(id).children.find(child => child.tag === "video");
    return video && video.srcObject ? video.srcObject.getTracks() : [];
}

// The cameras the side's page got (a camera sent to a new party joins the microphone's stream: once each).
function cameraOf(side) {
    return [...new Set(side.microphone.requests.flatMap(request => request.stream.getTracks()))]
        .filter(track => track.kind === "video");
}

// The video tracks the peer connection sends and receives.
function videoOf(peer) {
    const video = peer.getTransceivers().filter(transceiver => transceiver.kind === "video");
    return {
        sent: video.map(transceiver => transceiver.sender.track).filter(Boolean),
        received: video.filter(transceiver => ["sendrecv", "recvonly"].includes(transceiver.currentDirection))
            .map(transceiver => transceiver.receiver.track)
    };
}

describe("a transfer between three tabs", () => {
    it("connects the transferred caller with the target on fresh peer connections, and frees the transferer", async () => {
        const { line, ann, bob, cid } = threeTabs();
        answersEveryCall(bob);
        answersEveryCall(cid);
        const annsCall = startCall(ann, "1002");
        await settle(100);
        assert.equal(bob.calls[0].getCallState(), "IN_CALL");
        assert.equal(ann.peers[0].iceConnectionState, "connected");

        await bob.calls[0].transfer("1003");
        await settle(100);

        assert.equal(bob.calls[0].getCallState(), "COMPLETED");
        assert.equal(bob.calls[0].getEndReason(), "transferred");
        assert.equal(bob.peers[0].signalingState, "closed");
        assert.ok(bob.microphone.requests[0].stream.getTracks().every(track => track.stopped), "Bob's microphone is off");
        assert.equal(line.callOf("1002"), undefined, "Bob is free");
        assert.deepEqual(ann.parties, ["1003"]);
        assert.equal(annsCall.getOtherParty(), "1003");
        assert.deepEqual(ann.states, ["RINGING", "IN_CALL", "RINGING", "IN_CALL"]);
        assert.equal(cid.calls.length, 1);
        assert.equal(cid.calls[0].getOtherParty(), "1001");
        assert.equal(cid.calls[0].getCallState(), "IN_CALL");
        assert.equal(ann.peers.length, 2, "Ann talks to Cid on a new peer connection");
        assert.equal(ann.peers[0].signalingState, "closed");
        assert.equal(ann.peers[1].iceConnectionState, "connected");
        assert.equal(cid.peers[0].iceConnectionState, "connected");
        assert.equal(ann.microphone.requests.length, 1, "on the microphone she had");
        const dials = ann.socket.sentOfType("dial");
        assert.equal(dials.length, 1, "one call for Ann from start to end");
        assert.equal(cid.socket.sentOfType("accept")[0].callId, dials[0].callId, "under the id Ann chose");
        assert.deepEqual(ann.consoleLines.filter(entry => entry.startsWith("error")), []);
    });

    it("sends the transferred side's camera to the target, and shows the target's video instead of the old party's", async () => {
        const { ann, bob, cid } = threeTabs();
        answersEveryCall(bob);
        answersEveryCall(cid);
        startCall(ann, "1002", "VIDEO");
        await settle(100);
        const bobsVideo = videoOf(ann.peers[0]).received;
        assert.equal(bobsVideo.length, 1);
        assert.deepEqual(shown(ann, "remote"), bobsVideo);

        const transferred = bob.calls[0].transfer("1003");
        await settle(3);
        assert.deepEqual(shown(ann, "remote"), [], "Bob's video is gone from Ann's page as soon as she is transferred");
        await transferred;
        await settle(100);

        assert.equal(cid.calls[0].getCallType(), "VIDEO", "Cid is called as the video call it is");
        const annToCid = videoOf(ann.peers[1]);
        assert.equal(cameraOf(ann).length, 1);
        assert.deepEqual(annToCid.sent, cameraOf(ann), "Ann's camera goes to Cid");
        assert.deepEqual(shown(ann, "remote"), annToCid.received, "Ann sees Cid");
        assert.equal(annToCid.received.length, 1);
        assert.deepEqual(shown(cid, "remote"), videoOf(cid.peers[0]).received, "Cid sees Ann");
        assert.deepEqual(shown(ann, "self"), cameraOf(ann));
    });

    it("sends a camera turned on during the call to the target from the start", async () => {
        const { ann, bob, cid } = threeTabs();
        answersEveryCall(bob);
        answersEveryCall(cid);
        const annsCall = startCall(ann, "1002");
        await settle(100);
        await annsCall.attachCamera();
        await settle(100);
        assert.equal(videoOf(bob.peers[0]).received.length, 1, "Bob sees Ann's camera");

        await bob.calls[0].transfer("1003");
        await settle(100);

        assert.equal(cameraOf(ann).length, 1);
        assert.deepEqual(videoOf(ann.peers[1]).sent, cameraOf(ann), "the camera goes on to Cid");
        assert.deepEqual(shown(cid, "remote"), videoOf(cid.peers[0]).received);
        assert.equal(shown(cid, "remote").length, 1, "Cid sees Ann");
        assert.equal(annsCall.getCallType(), "VIDEO");
        assert.equal(annsCall.isCameraAttached(), true);
    });

    it("keeps the call when the line refuses it, and says why", async () => {
        const { ann, bob } = threeTabs();
        answersEveryCall(bob);
        const annsCall = startCall(ann, "1002");
        await settle(100);

        await assert.rejects(bob.calls[0].transfer("1001"), error => error.code === "INVALID_TARGET");
        await assert.rejects(bob.calls[0].transfer("1009"), error => error.code === "NOT_FOUND");
        assert.equal(bob.calls[0].getCallState(), "IN_CALL");
        assert.equal(annsCall.getCallState(), "IN_CALL");
        assert.equal(bob.peers[0].iceConnectionState, "connected");
        assert.equal(bob.peers.length, 1);
    });
});

describe("a forward between three tabs", () => {
    it("rings the forwarded caller at the target, who answers", async () => {
        const { ann, bob, cid } = threeTabs();
        const forwarded = [];
        bob.client.onIncomingCall(call => forwarded.push(call.forward("1003").then(() => call.getCallState())));
        answersEveryCall(cid);
        const annsCall = startCall(ann, "1002");
        await settle(100);

        assert.equal(await forwarded[0], "COMPLETED");
        assert.deepEqual(ann.states, ["RINGING", "IN_CALL"]);
        assert.deepEqual(ann.parties, ["1003"]);
        assert.equal(annsCall.getOtherParty(), "1003");
        assert.equal(cid.calls[0].getCallState(), "IN_CALL");
        assert.equal(bob.peers.length, 0, "the forwarder never set up media");
        assert.equal(bob.microphone.requests.length, 0, "nor asked for the microphone");
        assert.equal(ann.peers.length, 1);
        assert.equal(ann.peers[0].iceConnectionState, "connected");
    });
});
