// Loads the WebphoneAPI client the way the server serves it: the files of modules.txt, in order,
// joined inside one strict function scope (web/WebphoneApiController does the same). Instead of
// publishing globals only, the scope here also returns its inner names, and the browser objects it
// uses are parameters, so each test gets a fresh client (fresh event queue, fresh roster) in front
// of fakes it controls.
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { FakeWindow } from "./fake-browser.mjs";

const MODULES = new URL("../../../main/resources/webphone-api/", import.meta.url);

// The browser globals the client reads; each becomes a parameter of the joined script.
const BROWSER_GLOBALS = ["window", "document", "navigator", "console", "WebSocket", "RTCPeerConnection",
    "MediaStream", "setTimeout", "clearTimeout", "crypto"];

// The inner names tests reach; a name that a refactoring removes makes loading fail loudly, so
// only the names some test uses are here.
const INNER_NAMES = ["CallState", "FINAL_CALL_STATES", "signalingUrl", "Negotiator", "CallPhase", "CallEvent",
    "CALL_STATE_OF_PHASE", "nextCallPhase", "IllegalCallTransition", "CALL_METHODS_NOT_SUPPORTED", "Call",
    "WebphoneClient", "readQuality", "callQuality"];

function joinedModules() {
    const order = readFileSync(new URL("modules.txt", MODULES), "utf8").split(/\r?\n/)
        .map(line => line.trim()).filter(line => line !== "");
    return order.map(name => `/* ${name} */\n${readFileSync(new URL(name, MODULES), "utf8")}`).join("\n");
}

const SOURCE = joinedModules();

/**
 * A fresh client in front of the given browser objects. Missing ones throw when the client uses them,
 * so a test states every fake it relies on.
 * @returns the inner names, plus window (where client.js published OzWebClient and the enums)
 */
export function loadWebphoneApi(browser = {}) {
    const window = browser.window || new FakeWindow();
    const values = {
        window,
        document: browser.document || { currentScript: { src: "http://localhost:8080/WebphoneAPI" } },
        navigator: browser.navigator || {},
        console: browser.console || console,
        WebSocket: browser.WebSocket || missing("WebSocket"),
        RTCPeerConnection: browser.RTCPeerConnection || missing("RTCPeerConnection"),
        MediaStream: browser.MediaStream || missing("MediaStream"),
        setTimeout: browser.setTimeout || setTimeout,
        clearTimeout: browser.clearTimeout || clearTimeout,
        // Node before 19 has no global crypto.
        crypto: webcrypto
    };
    const factory = new Function(...BROWSER_GLOBALS,
        `"use strict";\n${SOURCE}\nreturn { ${INNER_NAMES.join(", ")} };`);
    return { ...factory(...BROWSER_GLOBALS.map(name => values[name])), window };
}

function missing(name) {
    return class {
        constructor() {
            throw new Error(`this test gave the client no ${name}`);
        }
    };
}

/** Lets every queued microtask and pending immediate run, several rounds deep. */
export async function settle(rounds = 30) {
    for (let i = 0; i < rounds; i++) {
        await new Promise(resolve => setImmediate(resolve));
    }
}

/** A console that keeps what the client printed, for assertions, and prints nothing. */
export function recordingConsole() {
    const lines = [];
    const record = level => (...args) => lines.push(`${level} ${args.map(String).join(" ")}`);
    return {
        lines,
        debug: record("debug"),
        info: record("info"),
        warn: record("warn"),
        error: record("error"),
        log: record("log")
    };
}
