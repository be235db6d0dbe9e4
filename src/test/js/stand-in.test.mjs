// The stand-in client that relay mode serves while the phone system is down must answer every member
// the real client has: a page (ours included) that calls one it lacks stops at a TypeError before it
// can show why it is not connected.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadWebphoneApi, recordingConsole } from "./support/webphone-api.mjs";
import { FakeWindow } from "./support/fake-browser.mjs";

const RESOURCES = new URL("../../main/resources/", import.meta.url);

// Assembled as relay/UnreachableUpstreamClient assembles it.
function loadStandIn() {
    const parts = ["webphone-api/enums.js", "webphone-api/log.js", "webphone-api/emitter.js"]
        .map(part => readFileSync(new URL(part, RESOURCES), "utf8"));
    const source = `"use strict";\n${parts.join("\n")}\nconst UNREACHABLE = "the phone system is down";\n`
        + readFileSync(new URL("relay/upstream-unreachable.js", RESOURCES), "utf8");
    const window = new FakeWindow();
    new Function("window", "console", source)(window, recordingConsole());
    return window;
}

// The page's members: the client drives a call through handle*() and restartIce(), a page never does.
function pageMethods(object) {
    return Object.getOwnPropertyNames(Object.getPrototypeOf(object))
        .filter(name => name !== "constructor" && typeof object[name] === "function")
        .filter(name => !name.startsWith("handle") && name !== "restartIce")
        .sort();
}

describe("the stand-in client of an unreachable phone system", () => {
    const real = loadWebphoneApi().window;
    const standIn = loadStandIn();

    it("has every method of the real OzWebClient", () => {
        const missing = pageMethods(real.OzWebClient).filter(name => typeof standIn.OzWebClient[name] !== "function");
        assert.deepEqual(missing, []);
    });

    it("has every method of the real Call", () => {
        const realCall = real.OzWebClient.createCall("1001");
        const standInCall = standIn.OzWebClient.createCall("1001");
        const missing = pageMethods(realCall).filter(name => typeof standInCall[name] !== "function");
        assert.deepEqual(missing, []);
    });

    it("refuses forward() and transfer() as the real client does, with a rejected promise naming the reason", async () => {
        const call = standIn.OzWebClient.createCall("1001");
        for (const method of ["forward", "transfer"]) {
            await assert.rejects(call[method]("1002"), error => error.name === "RedirectRefusedError"
                && error.code === "NOT_CONNECTED" && error.message.includes("the phone system is down"));
        }
    });

    it("reports CONNECTION_FAILED with the reason to every handler", () => {
        const seen = [];
        standIn.OzWebClient.onConnectionStateChanged(state => seen.push(`${state}: ${state.reason}`));
        standIn.OzWebClient.connect("localhost", "Webphone1");
        return new Promise(resolve => setTimeout(resolve, 0)).then(() =>
            assert.deepEqual(seen, ["CONNECTION_FAILED: the phone system is down"]));
    });
});
