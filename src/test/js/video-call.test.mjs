// Video calls between two whole clients over fake sockets, cameras and RTCPeerConnections, with the
// test playing the server: a VIDEO call sends and shows video both ways, a voice call becomes a video
// call and back by renegotiation, and the displays the page names show the right tracks whenever it
// names them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { settle } from "./support/webphone-api.mjs";
import { joined, relayCall, sentDescriptions, tab } from "./support/two-tabs.mjs";

// Ann calls Bob. Bob's page accepts at once (beforeAccept and afterAccept get his call and tab); both pages have
// an element with the id "remote" for the other party's video and "self" for their own camera.
async function call({ callType = "AUDIO", annCamera = "granted", bobCamera = "granted", offerer = "caller",
                      annDisplays = true, bobDisplays = true, beforeAccept = () => {}, afterAccept = () => {} } = {}) {
    const ann = tab({ camera: annCamera });
    const bob = tab({ camera: bobCamera });
    for (const side of [ann, bob]) {
        side.document.addPageElement("div", "remote");
        side.document.addPageElement("div", "self");
    }
    joined(ann, "1001");
    joined(bob, "1002");
    relayCall(ann, bob, { offerer });
    bob.client.onIncomingCall(incoming => {
        bob.call = incoming;
        bob.types = recordTypes(incoming);
        if (bobDisplays) {
            incoming.setRemoteDisplay("remote");
            incoming.setLocalDisplay("self");
        }
        beforeAccept(incoming, bob);
        incoming.accept();
        afterAccept(incoming, bob);
    });
    ann.call = ann.client.createCall("1002", callType);
    ann.types = recordTypes(ann.call);
    if (annDisplays) {
        ann.call.setRemoteDisplay("remote");
        ann.call.setLocalDisplay("self");
    }
    ann.call.start();
    await settle(100);
    assert.equal(ann.call.getCallState(), "IN_CALL");
    assert.equal(bob.call.getCallState(), "IN_CALL");
    return { ann, bob };
}

function recordTypes(someCall) {
    const types = [];
    someCall.onCallTypeChanged(type => types.push(type));
    return types;
}

// The tracks the <video> inside the element with this id shows; null when there is no such <video>.
function shown(side, id) {
    const element = side.document.getElementById(id);
    const video = element.tag === "video" ? element : element.children.find(child => child.tag === "video");
    return video && video.srcObject ? video.srcObject.getTracks() : null;
}

function videoIn(side, id) {
    return side.document.getElementById(id).children.find(child => child.tag === "video") || null;
}

// What this side's peer connection receives as video from the other side.
function remoteVideoTracks(side) {
    return side.peers[0].getTransceivers().filter(transceiver => transceiver.kind === "video"
        && ["sendrecv", "recvonly"].includes(transceiver.currentDirection)).map(transceiver => transceiver.receiver.track);
}

function cameraOf(side) {
    return side.microphone.requests.flatMap(request => request.stream.getTracks()).filter(track => track.kind === "video");
}

function remoteAudio(side) {
    return side.document.elements.find(element => element.tag === "audio");
}

describe("a video call (createCall(number, CallType.VIDEO))", () => {
    it("asks both sides for the camera, offers video, and shows each side the other's camera", async () => {
        const { ann, bob } = await call({ callType: "VIDEO" });

        assert.equal(ann.socket.sentOfType("dial")[0].callType, "VIDEO");
        for (const side of [ann, bob]) {
            assert.deepEqual(side.microphone.requests.map(request => request.constraints), [{ audio: true, video: true }]);
            assert.equal(side.call.getCallType(), "VIDEO");
            assert.equal(side.call.isCameraAttached(), true);
        }
        assert.deepEqual(sentDescriptions(ann)[0], { type: "offer", mlines: [
            { kind: "audio", direction: "sendrecv" }, { kind: "video", direction: "sendrecv" }] });
        assert.deepEqual(sentDescriptions(bob)[0].mlines[1], { kind: "video", direction: "sendrecv" });
        for (const side of [ann, bob]) {
            const [track] = remoteVideoTracks(side);
            assert.ok(track, `${side.phoneNumber} receives video`);
            assert.deepEqual(shown(side, "remote"), [track], "the display shows the other side's video track, and only it");
            const video = videoIn(side, "remote");
            assert.equal(video.muted, true, "no sound through the display: the audio element plays it");
            assert.equal(video.attributes["data-webphone-video"], "remote");
            assert.equal(video.attributes["data-call-id"], ann.socket.sentOfType("dial")[0].callId);
            assert.deepEqual(shown(side, "self"), cameraOf(side), "the own camera in the local display");
            assert.ok(remoteAudio(side).srcObject.getAudioTracks().length === 1, "the sound plays in the audio element");
        }
        assert.deepEqual(ann.types, [], "VIDEO from the start, and it stayed");
        assert.deepEqual(bob.types, []);
    });

    it("shows the other party's video in a <video> element the page names, before or after the video arrives", async () => {
        const { ann, bob } = await call({ callType: "VIDEO", annDisplays: false, bobDisplays: false, beforeAccept: (incoming, bob) => {
            bob.document.addPageElement("video", "their-video");
            incoming.setRemoteDisplay("their-video");
        } });
        const late = ann.document.addPageElement("video", "their-video");
        assert.equal(late.srcObject, null, "nothing shown before the page names the element");

        ann.call.setRemoteDisplay("their-video");

        assert.deepEqual(late.srcObject.getTracks(), remoteVideoTracks(ann), "named after the video arrived: shown at once");
        assert.equal(late.muted, true);
        assert.ok(late.plays >= 1, "and played");
        const early = bob.document.getElementById("their-video");
        assert.deepEqual(early.srcObject.getTracks(), remoteVideoTracks(bob), "named before: shown when it came");
        assert.equal(early.children.length, 0, "the page's own <video> is used, nothing is put inside it");
    });

    it("moves the video to another element when the page names one, and shows it nowhere for null", async () => {
        const { ann } = await call({ callType: "VIDEO" });
        ann.document.addPageElement("div", "elsewhere");

        ann.call.setRemoteDisplay("elsewhere");
        assert.equal(videoIn(ann, "remote"), null);
        assert.deepEqual(shown(ann, "elsewhere"), remoteVideoTracks(ann));

        ann.call.setRemoteDisplay(null);
        assert.equal(videoIn(ann, "elsewhere"), null);
    });

    it("warns when the named element does not exist, and shows the video once the page has it and names it again", async () => {
        const { ann } = await call({ callType: "VIDEO", annDisplays: false });
        ann.call.setRemoteDisplay("not-yet");
        assert.ok(ann.consoleLines.some(line => line.startsWith("warn") && line.includes('no element with id "not-yet"')),
            ann.consoleLines.join("\n"));

        ann.document.addPageElement("div", "not-yet");
        ann.call.setRemoteDisplay("not-yet");
        assert.deepEqual(shown(ann, "not-yet"), remoteVideoTracks(ann));
    });

    it("goes on with sound when this side has no camera, and still shows the other side's", async () => {
        const { ann, bob } = await call({ callType: "VIDEO", bobCamera: "absent" });

        assert.ok(bob.consoleLines.some(line => line.includes("camera unavailable (NotFoundError: Requested device not found);"
            + " the video call goes on without sending video")), bob.consoleLines.join("\n"));
        assert.deepEqual(bob.microphone.requests.map(request => request.constraints), [{ audio: true, video: true }, { audio: true }]);
        assert.equal(bob.call.isCameraAttached(), false);
        assert.deepEqual(shown(bob, "remote"), remoteVideoTracks(bob), "Bob sees Ann");
        assert.deepEqual(remoteVideoTracks(ann), [], "Ann gets no video from Bob");
        assert.equal(videoIn(ann, "remote"), null, "so her display stays empty");
        assert.equal(ann.call.getCallType(), "VIDEO", "Ann's camera still makes it a video call");
        assert.equal(bob.call.getCallType(), "VIDEO");
    });

    it("whose offerer has no camera still receives the other side's camera", async () => {
        const { ann, bob } = await call({ callType: "VIDEO", annCamera: "absent" });

        assert.deepEqual(sentDescriptions(ann)[0].mlines[1], { kind: "video", direction: "recvonly" });
        assert.deepEqual(shown(ann, "remote"), remoteVideoTracks(ann));
        assert.equal(remoteVideoTracks(ann).length, 1);
        assert.deepEqual(remoteVideoTracks(bob), []);
    });

    it("becomes AUDIO once negotiated when neither side has a camera", async () => {
        const { ann, bob } = await call({ callType: "VIDEO", annCamera: "absent", bobCamera: "absent" });

        for (const side of [ann, bob]) {
            assert.equal(side.call.getCallType(), "AUDIO");
            assert.deepEqual(side.types, ["AUDIO"]);
        }
    });

    it("ends with every camera stopped and the displays emptied", async () => {
        const { ann, bob } = await call({ callType: "VIDEO" });

        ann.call.hangUp();
        await settle(30);

        for (const side of [ann, bob]) {
            assert.equal(side.call.getCallState(), "COMPLETED");
            assert.ok(cameraOf(side).every(track => track.stopped), "camera stopped");
            assert.equal(videoIn(side, "remote"), null);
            assert.equal(videoIn(side, "self"), null);
            assert.equal(side.call.isCameraAttached(), false);
        }
    });
});

describe("a voice call upgraded to video and back", () => {
    for (const [who, offerer] of [["the callee (polite)", "caller"], ["the callee (offerer)", "callee"]]) {
        it(`attachCamera() by ${who} renegotiates, and the other side shows the camera`, async () => {
            const { ann, bob } = await call({ offerer });
            assert.equal(bob.call.getCallType(), "AUDIO");
            const descriptionsBefore = sentDescriptions(bob).length;

            await bob.call.attachCamera();
            await settle(60);

            assert.deepEqual(bob.microphone.requests.map(request => request.constraints), [{ audio: true }, { video: true }]);
            const upgrade = sentDescriptions(bob).slice(descriptionsBefore);
            assert.equal(upgrade[0].type, "offer", "Bob offered the change");
            assert.deepEqual(upgrade[0].mlines, [{ kind: "audio", direction: "sendrecv" }, { kind: "video", direction: "sendrecv" }]);
            assert.deepEqual(sentDescriptions(ann).at(-1).mlines[1], { kind: "video", direction: "recvonly" }, "Ann answered: she has no camera on");
            assert.equal(remoteVideoTracks(ann).length, 1);
            assert.deepEqual(shown(ann, "remote"), remoteVideoTracks(ann));
            assert.deepEqual(shown(bob, "self"), cameraOf(bob));
            assert.equal(videoIn(bob, "remote"), null, "Bob receives no video");
            for (const side of [ann, bob]) {
                assert.equal(side.call.getCallType(), "VIDEO");
                assert.deepEqual(side.types, ["VIDEO"]);
                assert.equal(side.call.getCallState(), "IN_CALL");
            }
            assert.ok(remoteAudio(ann).srcObject.getAudioTracks().length === 1, "Ann still hears Bob");
        });
    }

    it("detachCamera() makes it a voice call again on both sides; attachCamera() again reuses the m-line", async () => {
        const { ann, bob } = await call();
        await bob.call.attachCamera();
        await settle(60);
        const [firstCamera] = cameraOf(bob);

        await bob.call.detachCamera();
        await settle(60);

        assert.equal(firstCamera.stopped, true, "the camera is off");
        assert.equal(bob.call.isCameraAttached(), false);
        assert.deepEqual(sentDescriptions(bob).at(-1).mlines[1], { kind: "video", direction: "recvonly" });
        assert.deepEqual(remoteVideoTracks(ann), []);
        assert.equal(videoIn(ann, "remote"), null, "Ann's display is emptied");
        assert.equal(videoIn(bob, "self"), null);
        for (const side of [ann, bob]) {
            assert.deepEqual(side.types, ["VIDEO", "AUDIO"]);
        }

        await bob.call.attachCamera();
        await settle(60);
        assert.equal(ann.peers[0].negotiatedKinds.length, 2, "still one audio and one video m-line");
        assert.deepEqual(shown(ann, "remote"), remoteVideoTracks(ann));
        assert.deepEqual(ann.types, ["VIDEO", "AUDIO", "VIDEO"]);
    });

    it("both sides on camera: each shows the other's, and one turning it off leaves the other's on", async () => {
        const { ann, bob } = await call();
        await Promise.all([ann.call.attachCamera(), bob.call.attachCamera()]);
        await settle(100);
        for (const side of [ann, bob]) {
            assert.equal(remoteVideoTracks(side).length, 1);
            assert.deepEqual(shown(side, "remote"), remoteVideoTracks(side));
        }
        assert.equal(ann.peers[0].negotiatedKinds.length, 2, "one video m-line carries both cameras");

        await ann.call.detachCamera();
        await settle(60);
        assert.equal(videoIn(bob, "remote"), null);
        assert.deepEqual(shown(ann, "remote"), remoteVideoTracks(ann), "Ann still sees Bob");
        assert.equal(ann.call.getCallType(), "VIDEO");
        assert.equal(bob.call.getCallType(), "VIDEO");
    });

    it("a refused camera rejects attachCamera() with a CameraError, and the call goes on as it was", async () => {
        const { ann, bob } = await call({ bobCamera: "denied" });
        const descriptionsBefore = sentDescriptions(bob).length;

        await assert.rejects(bob.call.attachCamera(), error => error.name === "CameraError" && error instanceof Error
            && error.reason === "NotAllowedError" && error.message === "camera unavailable (NotAllowedError: Permission denied)");
        await settle(30);

        assert.equal(bob.call.getCallState(), "IN_CALL");
        assert.equal(bob.call.getCallType(), "AUDIO");
        assert.equal(sentDescriptions(bob).length, descriptionsBefore, "nothing to renegotiate");
        assert.equal(ann.call.getCallState(), "IN_CALL");
    });

    it("another camera given while one is on replaces it without a renegotiation", async () => {
        const { ann, bob } = await call();
        await bob.call.attachCamera();
        await settle(60);
        const descriptions = sentDescriptions(bob).length;
        const [first] = cameraOf(bob);

        await bob.call.attachCamera("back-camera");
        await settle(30);

        assert.deepEqual(bob.microphone.requests.at(-1).constraints, { video: { deviceId: { exact: "back-camera" } } });
        const [, second] = cameraOf(bob);
        assert.equal(first.stopped, true);
        assert.equal(bob.peers[0].getTransceivers()[1].sender.track, second);
        assert.deepEqual(shown(bob, "self"), [second]);
        assert.equal(sentDescriptions(bob).length, descriptions);
        assert.deepEqual(ann.types, ["VIDEO"]);
    });

    it("attachCamera() again with no camera named while one is on changes nothing", async () => {
        const { bob } = await call();
        await bob.call.attachCamera();
        await bob.call.attachCamera();
        assert.equal(cameraOf(bob).length, 1);
    });

    it("attachCamera() right after accept() sends the camera from the start", async () => {
        const { ann, bob } = await call({ afterAccept: incoming => incoming.attachCamera() });

        assert.equal(remoteVideoTracks(ann).length, 1);
        assert.deepEqual(shown(ann, "remote"), remoteVideoTracks(ann));
        assert.equal(bob.call.getCallType(), "VIDEO");
    });

    it("refuses attachCamera() before start()/accept() and after the end, with an InvalidStateError", async () => {
        const ann = tab();
        joined(ann, "1001");
        const notStarted = ann.client.createCall("1002");
        await assert.rejects(notStarted.attachCamera(), error => error.name === "InvalidStateError"
            && error.message === "WebphoneAPI: Call.attachCamera() is not possible in phase NEW: start() or accept() the call first");

        const { bob } = await call();
        bob.call.hangUp();
        await assert.rejects(bob.call.attachCamera(), error => error.name === "InvalidStateError"
            && /not possible in phase COMPLETED/.test(error.message));
        await bob.call.detachCamera();
        assert.equal(bob.call.getCallType(), "AUDIO");
    });

    it("a camera that stops by itself (unplugged) leaves a voice call", async () => {
        const { ann, bob } = await call();
        await bob.call.attachCamera();
        await settle(60);
        const [camera] = cameraOf(bob);

        camera.onended();
        await settle(60);

        assert.equal(bob.call.isCameraAttached(), false);
        assert.deepEqual(remoteVideoTracks(ann), []);
        assert.equal(ann.call.getCallType(), "AUDIO");
        assert.ok(bob.consoleLines.some(line => line.includes("the camera stopped; sending no video")));
    });
});
