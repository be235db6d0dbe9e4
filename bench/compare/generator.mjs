// One load generator for Webphone and peerjs-server, each spoken in its own protocol, so that the two
// servers are compared under the same client code, payloads and pacing. Loopback only; every wait is
// bounded. Prints one line "RESULT {json}" at the end.
//
//   node generator.mjs connect  --server=webphone|peerjs --port=P --clients=19000 --in-flight=200 --hold=20
//   node generator.mjs calls    --server=webphone|peerjs --port=P --pairs=1000 --in-flight=20 --duration=20 [--rate=1000]
//   node generator.mjs presence --port=P --clients=2000 --over=5
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(process.env.PEERJS_HOME ? `${process.env.PEERJS_HOME}/` : import.meta.url);
const WebSocket = require("ws");

const [mode, ...rest] = process.argv.slice(2);
const opt = Object.fromEntries(rest.map(a => a.replace(/^--/, "").split("=")));
const server = opt.server || "webphone";
const port = Number(opt.port);
const host = "127.0.0.1";
const deadline = (s) => Date.now() + s * 1000;

// Per set-up payloads: an SDP of about 3.6 KB and 4 candidates each way, the same for both servers.
const SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    + "a=group:BUNDLE 0\r\na=msid-semantic: WMS stream\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
    + "a=rtpmap:111 opus/48000/2\r\n".repeat(1)
    + "a=candidate-placeholder:" + "x".repeat(60) + "\r\n".repeat(1);
const PADDED_SDP = (SDP + "a=x-pad:" + "0123456789abcdef".repeat(240)).slice(0, 3600);
const CANDIDATES = [0, 1, 2, 3].map(i => ({
    candidate: `candidate:${1000 + i} 1 udp ${2122260223 - i} 127.0.0.1 ${50000 + i} typ host generation 0 ufrag abcd network-id 1`,
    sdpMid: "0", sdpMLineIndex: 0
}));

function url(id) {
    return server === "peerjs"
        ? `ws://${host}:${port}/peerjs?key=peerjs&id=${id}&token=t${id}`
        : `ws://${host}:${port}/webphone/ws`;
}

// Opens one client; resolves with {ws, id, number} once the server has let it in.
function open(id, onMessage, line = "Bench") {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(url(id), { perMessageDeflate: false, headers: { Origin: `http://${host}:${port}` } });
        const client = { ws, id, number: null, onMessage };
        const timer = setTimeout(() => { ws.terminate(); reject(new Error("no access within 60 s")); }, 60000);
        ws.on("open", () => {
            if (server === "webphone") {
                ws.send(JSON.stringify({ type: "connect", line, properties: { nickname: `n${id}` } }));
            }
        });
        ws.on("message", (data) => {
            const message = JSON.parse(data.toString());
            if (!client.granted && (message.type === "OPEN" || message.type === "access-granted")) {
                client.granted = true;
                client.number = message.phoneNumber || id;
                clearTimeout(timer);
                resolve(client);
                return;
            }
            if (message.type === "access-denied" || message.type === "ID-TAKEN" || message.type === "ERROR") {
                clearTimeout(timer);
                reject(new Error(JSON.stringify(message)));
                return;
            }
            client.onMessage && client.onMessage(message);
        });
        ws.on("error", (e) => { clearTimeout(timer); reject(e); });
    });
}

async function openMany(count, inFlight, onMessage, prefix) {
    const clients = new Array(count);
    let next = 0, failures = 0;
    async function worker() {
        while (next < count) {
            const i = next++;
            try {
                clients[i] = await open(`${prefix}${i}`, onMessage && onMessage(i));
            } catch (e) {
                failures++;
            }
        }
    }
    await Promise.all(Array.from({ length: inFlight }, worker));
    return { clients: clients.filter(Boolean), failures };
}

async function connect() {
    const count = Number(opt.clients || 19000), inFlight = Number(opt["in-flight"] || 200);
    const started = performance.now();
    const { clients, failures } = await openMany(count, inFlight, null, `c${process.pid}x`);
    const seconds = (performance.now() - started) / 1000;
    // The script measures the server while the clients are held.
    console.log(`CONNECTED ${clients.length} in ${seconds.toFixed(2)} s, ${failures} failures`);
    await new Promise(r => setTimeout(r, Number(opt.hold || 20) * 1000));
    console.log("RESULT " + JSON.stringify({ mode, server, clients: clients.length, failures, seconds }));
    clients.forEach(c => c.ws.terminate());
}

// A full set-up. Webphone: dial, RINGING + incoming, accept, IN_CALL both, offer, answer, 4 candidates
// each way, hang-up, COMPLETED both. peerjs: offer, answer, 4 candidates each way, relayed.
async function calls() {
    const pairs = Number(opt.pairs || 1000), inFlight = Number(opt["in-flight"] || 20);
    const duration = Number(opt.duration || 20), rate = Number(opt.rate || 0);
    const waiting = new Map(); // key -> resolve
    const expect = (key) => new Promise((resolve, reject) => {
        const t = setTimeout(() => { waiting.delete(key); reject(new Error("timeout " + key)); }, 10000);
        waiting.set(key, (m) => { clearTimeout(t); resolve(m); });
    });
    const deliver = (who) => (m) => {
        let key;
        if (server === "webphone") {
            key = m.type === "call-state" ? `${who}:${m.callId}:${m.state}` : `${who}:${m.callId}:${m.type}`;
            if (m.type === "ice") key += ":" + (m.candidate ? m.candidate.candidate.split(" ")[0] : "end");
        } else {
            key = `${who}:${m.payload.connectionId}:${m.type}`;
            if (m.type === "CANDIDATE") key += ":" + m.payload.candidate.candidate.split(" ")[0];
        }
        const r = waiting.get(key);
        if (r) { waiting.delete(key); r(m); }
    };
    const a = await openMany(pairs, 100, (i) => deliver(`a${i}`), `a${process.pid}x`);
    const b = await openMany(pairs, 100, (i) => deliver(`b${i}`), `b${process.pid}x`);
    if (a.failures || b.failures) throw new Error("clients failed to join");
    let seq = 0, done = 0, failed = 0;
    const latencies = [];
    async function setUp(p) {
        const A = a.clients[p], B = b.clients[p], ka = `a${p}`, kb = `b${p}`;
        const id = `k${seq++}`;
        const t0 = performance.now();
        if (server === "webphone") {
            const ringing = expect(`${ka}:${id}:RINGING`), incoming = expect(`${kb}:${id}:incoming`);
            A.ws.send(JSON.stringify({ type: "dial", callId: id, to: B.number }));
            await ringing; await incoming;
            const inA = expect(`${ka}:${id}:IN_CALL`), inB = expect(`${kb}:${id}:IN_CALL`);
            B.ws.send(JSON.stringify({ type: "accept", callId: id }));
            await inA; await inB;
            latencies.push(performance.now() - t0);
            const offer = expect(`${kb}:${id}:sdp`);
            A.ws.send(JSON.stringify({ type: "sdp", callId: id, description: { type: "offer", sdp: PADDED_SDP } }));
            await offer;
            const answer = expect(`${ka}:${id}:sdp`);
            B.ws.send(JSON.stringify({ type: "sdp", callId: id, description: { type: "answer", sdp: PADDED_SDP } }));
            await answer;
            const ice = [];
            for (const c of CANDIDATES) {
                const f = c.candidate.split(" ")[0];
                ice.push(expect(`${kb}:${id}:ice:${f}`), expect(`${ka}:${id}:ice:${f}`));
                A.ws.send(JSON.stringify({ type: "ice", callId: id, candidate: c }));
                B.ws.send(JSON.stringify({ type: "ice", callId: id, candidate: c }));
            }
            await Promise.all(ice);
            const endA = expect(`${ka}:${id}:COMPLETED`), endB = expect(`${kb}:${id}:COMPLETED`);
            A.ws.send(JSON.stringify({ type: "hangup", callId: id }));
            await endA; await endB;
        } else {
            const offer = expect(`${kb}:${id}:OFFER`);
            A.ws.send(JSON.stringify({ type: "OFFER", dst: B.id, payload: { sdp: { type: "offer", sdp: PADDED_SDP }, type: "media", connectionId: id } }));
            await offer;
            latencies.push(performance.now() - t0);
            const answer = expect(`${ka}:${id}:ANSWER`);
            B.ws.send(JSON.stringify({ type: "ANSWER", dst: A.id, payload: { sdp: { type: "answer", sdp: PADDED_SDP }, type: "media", connectionId: id } }));
            await answer;
            const ice = [];
            for (const c of CANDIDATES) {
                const f = c.candidate.split(" ")[0];
                ice.push(expect(`${kb}:${id}:CANDIDATE:${f}`), expect(`${ka}:${id}:CANDIDATE:${f}`));
                A.ws.send(JSON.stringify({ type: "CANDIDATE", dst: B.id, payload: { candidate: c, type: "media", connectionId: id } }));
                B.ws.send(JSON.stringify({ type: "CANDIDATE", dst: A.id, payload: { candidate: c, type: "media", connectionId: id } }));
            }
            await Promise.all(ice);
        }
    }
    console.log(`READY ${pairs} pairs`);
    const end = Date.now() + duration * 1000;
    const started = performance.now();
    let nextPair = 0;
    const interval = rate > 0 ? 1000 / rate : 0;
    let nextStart = performance.now();
    async function worker() {
        while (Date.now() < end) {
            if (interval) {
                const wait = nextStart - performance.now();
                nextStart = Math.max(nextStart, performance.now()) + interval;
                if (wait > 0) await new Promise(r => setTimeout(r, wait));
            }
            const p = nextPair; nextPair = (nextPair + 1) % pairs;
            try { await setUp(p); done++; } catch (e) { failed++; }
        }
    }
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((x, y) => x - y);
    const q = (f) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] : null;
    console.log("RESULT " + JSON.stringify({ mode, server, setUps: done, failed, seconds, perSecond: done / seconds,
        p50ms: q(0.5), p99ms: q(0.99) }));
    a.clients.concat(b.clients).forEach(c => c.ws.terminate());
}

// Presence (Webphone only): clients join evenly over --over seconds; each counts whom it knows online.
async function presence() {
    const count = Number(opt.clients || 2000), over = Number(opt.over || 5);
    const known = Array.from({ length: count }, () => new Set());
    let complete = 0, lastComplete = 0;
    const onMessage = (i) => (m) => {
        if (m.type !== "client-states") return;
        const set = known[i];
        const before = set.size >= count;
        for (const c of m.clients) {
            if (c.status === "ONLINE") set.add(c.phoneNumber); else set.delete(c.phoneNumber);
        }
        if (!before && set.size >= count) { complete++; lastComplete = performance.now(); }
    };
    const clients = [];
    const started = performance.now();
    const gap = over * 1000 / count;
    const joins = [];
    for (let i = 0; i < count; i++) {
        const due = started + i * gap - performance.now();
        if (due > 0) await new Promise(r => setTimeout(r, due));
        joins.push(open(`p${i}`, onMessage(i), opt.line || "Presence").then(c => clients.push(c)));
    }
    await Promise.allSettled(joins);
    const lastJoin = performance.now();
    const until = deadline(Number(opt.wait || 60));
    while (complete < clients.length && Date.now() < until) await new Promise(r => setTimeout(r, 50));
    console.log("RESULT " + JSON.stringify({ mode, clients: clients.length, complete,
        joinSeconds: (lastJoin - started) / 1000,
        completeAfterLastJoinSeconds: complete === clients.length ? Math.max(0, (lastComplete - lastJoin) / 1000) : null }));
    clients.forEach(c => c.ws.terminate());
}

const run = { connect, calls, presence }[mode];
if (!run) { console.error("usage: generator.mjs connect|calls|presence --port=P ..."); process.exit(2); }
run().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
