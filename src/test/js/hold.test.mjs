// Holding a call at the negotiator: two negotiators back to back over fake RTCPeerConnections stop
// sending without renegotiating, keep negotiating while held (an ICE restart), and send the same
// tracks again afterwards; DTMF goes out on the audio sender.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi, recordingConsole, settle } from "./support/webphone-api.mjs";
import { FakeClock, FakeMediaStream } from "./support/fake-browser.mjs";
import { FakePeerConnection } from "./support/fake-peer-connection.mjs";
import { backToBack, camera, microphoneAndCamera } from "./support/back-to-back.mjs";

let api;
let consoleLines;

beforeEach(() => {
    const clock = new FakeClock();
    const recorder = recordingConsole();
    consoleLines = recorder.lines;
    api = loadWebphoneApi({
        console: recorder, MediaStream: FakeMediaStream,
        setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout
    });
});

async function connected(options) {
    const call = backToBack(api, FakePeerConnection, options);
    await call.wire.flushUntilQuiet();
    return call;
}

const sending = side => side.peer.getSenders().map(sender => sender.track);
const sendingKinds = side => side.peer.getSenders().map(sender => sender.track && sender.track.kind);

describe("a held call at the negotiator", () => {
    it("sends nothing from either side while held, without a new offer, and the same tracks after", async () => {
        const call = await connected();
        const tracks = [sending(call.impolite), sending(call.polite)];
        const offers = call.wire.descriptions().length;

        call.impolite.negotiator.pauseSending();
        call.polite.negotiator.pauseSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual([sending(call.impolite), sending(call.polite)], [[null], [null]]);
        assert.equal(call.wire.descriptions().length, offers, "holding is not a renegotiation");

        call.impolite.negotiator.resumeSending();
        call.polite.negotiator.resumeSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual([sending(call.impolite), sending(call.polite)], tracks);
        assert.equal(call.wire.descriptions().length, offers);
    });

    it("pauses once however often it is asked, and resuming what is not paused changes nothing", async () => {
        const call = await connected();
        const [track] = sending(call.polite);
        call.polite.negotiator.resumeSending();
        call.polite.negotiator.pauseSending();
        call.polite.negotiator.pauseSending();
        await settle();
        assert.equal(call.polite.peer.replacedTracks.length, 1);
        call.polite.negotiator.resumeSending();
        call.polite.negotiator.resumeSending();
        await settle();
        assert.deepEqual(sending(call.polite), [track]);
        assert.equal(call.polite.peer.replacedTracks.length, 2);
    });

    it("still renegotiates while held: an ICE restart goes through and the call stays silent", async () => {
        const call = await connected();
        const before = call.impolite.peer.localUfrag;
        call.impolite.negotiator.pauseSending();
        call.polite.negotiator.pauseSending();
        call.impolite.negotiator.restartIce();
        await call.wire.flushUntilQuiet();
        assert.notEqual(call.impolite.peer.localUfrag, before, "new credentials");
        assert.equal(call.impolite.peer.iceConnectionState, "connected");
        assert.deepEqual([sending(call.impolite), sending(call.polite)], [[null], [null]]);
    });

    it("silences a video call's camera too, and sends it again after", async () => {
        const call = await connected({ video: true, localStreams: { impolite: Promise.resolve(microphoneAndCamera()) } });
        assert.deepEqual(sendingKinds(call.impolite), ["audio", "video"]);
        call.impolite.negotiator.pauseSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual(sendingKinds(call.impolite), [null, null]);
        call.impolite.negotiator.resumeSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual(sendingKinds(call.impolite), ["audio", "video"]);
    });

    it("turns on a camera while held without sending it until the hold ends", async () => {
        const call = await connected();
        call.polite.negotiator.pauseSending();
        const turnedOn = camera().getTracks()[0];
        await call.polite.negotiator.sendVideo(turnedOn, camera());
        await call.wire.flushUntilQuiet();
        assert.ok(call.polite.peer.negotiatedKinds.includes("video"), "the video m-line is negotiated while held");
        assert.deepEqual(sendingKinds(call.polite), [null, null], "but nothing is sent");
        call.polite.negotiator.resumeSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual(sendingKinds(call.polite), ["audio", "video"]);
        assert.ok(sending(call.polite).includes(turnedOn));
    });

    it("keeps a camera turned off while held off after the hold", async () => {
        const call = await connected({ video: true, localStreams: { polite: Promise.resolve(microphoneAndCamera()) } });
        call.polite.negotiator.pauseSending();
        await call.polite.negotiator.sendVideo(null);
        await call.wire.flushUntilQuiet();
        call.polite.negotiator.resumeSending();
        await call.wire.flushUntilQuiet();
        assert.deepEqual(sendingKinds(call.polite), ["audio", null], "the microphone is back, the camera is not");
        assert.deepEqual(call.polite.failures, []);
    });

    it("sends DTMF on the audio sender once the microphone is in, and logs when it cannot", async () => {
        const call = await connected();
        call.impolite.negotiator.insertDtmf("1234");
        await settle();
        assert.deepEqual(call.impolite.peer.getSenders()[0].dtmf.inserted, ["1234"]);

        call.polite.peer.getSenders()[0].dtmf.canInsertDTMF = false;
        call.polite.negotiator.insertDtmf("5");
        await settle();
        assert.deepEqual(call.polite.peer.getSenders()[0].dtmf.inserted, []);
        assert.ok(consoleLines.some(line => line.includes("DTMF 5 not sent as tones")), consoleLines.join("\n"));
        assert.deepEqual(call.polite.failures, [], "no tones is not a failure of the call");
    });
});
