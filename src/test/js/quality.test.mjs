// Call quality from WebRTC statistics: what a report is read into, and the figures of an interval.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi } from "./support/webphone-api.mjs";

const { readQuality, callQuality } = loadWebphoneApi();

// A getStats() report as Chromium gives one: a Map of stats objects by id.
function report(at, { rtt = 0.042, jitter = 0.003, received = 500, lost = 0, bytesIn = 40000, bytesOut = 41000,
                      remoteLevel = 0.2, localLevel = 0.3 } = {}) {
    return new Map([
        ["pair-unused", { type: "candidate-pair", state: "failed", nominated: false, currentRoundTripTime: 9 }],
        ["pair", { type: "candidate-pair", state: "succeeded", nominated: true, currentRoundTripTime: rtt, timestamp: at }],
        ["in", { type: "inbound-rtp", kind: "audio", timestamp: at, jitter, packetsReceived: received, packetsLost: lost,
            bytesReceived: bytesIn, audioLevel: remoteLevel }],
        ["in-video", { type: "inbound-rtp", kind: "video", timestamp: at, packetsReceived: 9999, packetsLost: 999 }],
        ["out", { type: "outbound-rtp", kind: "audio", bytesSent: bytesOut }],
        ["mic", { type: "media-source", kind: "audio", audioLevel: localLevel }]
    ]);
}

describe("call quality", () => {
    it("reads the nominated path's round trip and the audio's jitter and levels, in ms and 0 to 1", () => {
        const quality = callQuality(readQuality(report(1000)), null);
        assert.equal(quality.roundTripTimeMs, 42);
        assert.equal(quality.jitterMs, 3);
        assert.equal(quality.remoteLevel, 0.2);
        assert.equal(quality.localLevel, 0.3);
        assert.equal(quality.lossPercent, 0);
        assert.equal(quality.receiveKbps, null, "no rate without an interval");
    });

    it("gives rates and loss of the interval since the previous reading, not of the whole call", () => {
        const first = readQuality(report(1000, { received: 500, lost: 50, bytesIn: 40000, bytesOut: 41000 }));
        const second = readQuality(report(3000, { received: 590, lost: 60, bytesIn: 48000, bytesOut: 49000 }));
        const quality = callQuality(second, first);
        assert.equal(quality.lossPercent, 10, "10 of 100 packets in the interval, though 60 of 650 in all");
        assert.equal(quality.receiveKbps, 32, "8,000 bytes in 2 s");
        assert.equal(quality.sendKbps, 32);
    });

    it("reports nothing it was not told: a call before media flows", () => {
        const quality = callQuality(readQuality(new Map()), null);
        assert.deepEqual({ ...quality }, {
            roundTripTimeMs: null, jitterMs: null, lossPercent: null, receiveKbps: null, sendKbps: null,
            localLevel: null, remoteLevel: null
        });
    });
});
