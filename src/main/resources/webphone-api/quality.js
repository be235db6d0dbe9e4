// Live call quality from an RTCPeerConnection's statistics (ours): round-trip time, jitter, loss,
// bitrates, and the sound levels of both sides. Each reading is compared with the one before it,
// so rates and loss are those of the last interval, not of the whole call.

// Reads one report of getStats() into the few numbers a user can judge a call by.
function readQuality(report) {
    let pair = null;
    let inbound = null;
    let outbound = null;
    let source = null;
    report.forEach(stats => {
        if (stats.type === "candidate-pair" && (stats.nominated || stats.selected) && stats.state === "succeeded") {
            pair = stats;
        } else if (stats.type === "inbound-rtp" && stats.kind === "audio") {
            inbound = stats;
        } else if (stats.type === "outbound-rtp" && stats.kind === "audio") {
            outbound = stats;
        } else if (stats.type === "media-source" && stats.kind === "audio") {
            source = stats;
        }
    });
    return {
        at: inbound ? inbound.timestamp : (pair ? pair.timestamp : null),
        roundTripTime: pair && typeof pair.currentRoundTripTime === "number" ? pair.currentRoundTripTime : null,
        jitter: inbound && typeof inbound.jitter === "number" ? inbound.jitter : null,
        packetsReceived: inbound ? inbound.packetsReceived || 0 : 0,
        packetsLost: inbound ? Math.max(0, inbound.packetsLost || 0) : 0,
        bytesReceived: inbound ? inbound.bytesReceived || 0 : 0,
        bytesSent: outbound ? outbound.bytesSent || 0 : 0,
        remoteLevel: inbound && typeof inbound.audioLevel === "number" ? inbound.audioLevel : null,
        localLevel: source && typeof source.audioLevel === "number" ? source.audioLevel : null
    };
}

// What a page is given: times in milliseconds, loss in percent, rates in kbit/s, levels 0 to 1;
// null where the browser reported nothing (yet).
function callQuality(now, before) {
    const seconds = before && now.at !== null && before.at !== null ? (now.at - before.at) / 1000 : 0;
    const received = before ? now.packetsReceived - before.packetsReceived : now.packetsReceived;
    const lost = before ? now.packetsLost - before.packetsLost : now.packetsLost;
    const rate = (bytes, earlier) => (seconds > 0 ? Math.round(((bytes - earlier) * 8) / seconds / 1000) : null);
    return Object.freeze({
        roundTripTimeMs: now.roundTripTime === null ? null : Math.round(now.roundTripTime * 1000),
        jitterMs: now.jitter === null ? null : Math.round(now.jitter * 1000),
        lossPercent: received + lost > 0 ? Math.round((1000 * Math.max(0, lost)) / (received + lost)) / 10 : null,
        receiveKbps: before ? rate(now.bytesReceived, before.bytesReceived) : null,
        sendKbps: before ? rate(now.bytesSent, before.bytesSent) : null,
        localLevel: now.localLevel,
        remoteLevel: now.remoteLevel
    });
}
