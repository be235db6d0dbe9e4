// connect()'s server address to the signalling URL: whatever the address leaves out, scheme and
// port, comes from the URL the WebphoneAPI script was loaded from (webphone-api.md, server-address rule).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi } from "./support/webphone-api.mjs";
import { FakeDocument } from "./support/fake-browser.mjs";

function signalingUrlFor(scriptSrc) {
    return loadWebphoneApi({ document: new FakeDocument(scriptSrc) }).signalingUrl;
}

const CASES = {
    "http://192.168.115.131:8080/WebphoneAPI": [
        ["192.168.115.131", "ws://192.168.115.131:8080/webphone/ws"],
        ["", "ws://192.168.115.131:8080/webphone/ws"],
        [undefined, "ws://192.168.115.131:8080/webphone/ws"],
        ["  pbx.example  ", "ws://pbx.example:8080/webphone/ws"],
        ["pbx.example:9000", "ws://pbx.example:9000/webphone/ws"],
        ["http://pbx.example", "ws://pbx.example:8080/webphone/ws"],
        ["http://pbx.example/some/path?x=1", "ws://pbx.example:8080/webphone/ws"],
        ["https://pbx.example", "wss://pbx.example/webphone/ws"],
        ["wss://pbx.example:4443", "wss://pbx.example:4443/webphone/ws"],
        ["HTTP://PBX.example:80", "ws://pbx.example/webphone/ws"],
        ["::1", "ws://[::1]:8080/webphone/ws"],
        ["[::1]:9000", "ws://[::1]:9000/webphone/ws"],
        ["[2001:db8::7]", "ws://[2001:db8::7]:8080/webphone/ws"]
    ],
    "https://phone.example:8443/WebphoneAPI": [
        ["phone.example", "wss://phone.example:8443/webphone/ws"],
        ["http://phone.example", "ws://phone.example/webphone/ws"]
    ],
    "https://phone.example/WebphoneAPI": [
        ["other.example", "wss://other.example/webphone/ws"]
    ],
    "file:///home/ann/voicecall.html": [
        ["192.168.115.131", "ws://192.168.115.131/webphone/ws"],
        ["", "ws://localhost/webphone/ws"]
    ]
};

describe("the server address rule", () => {
    for (const [scriptSrc, cases] of Object.entries(CASES)) {
        const signalingUrl = signalingUrlFor(scriptSrc);
        for (const [address, expected] of cases) {
            it(`reads ${JSON.stringify(address)} from a script at ${scriptSrc} as ${expected}`, () => {
                assert.equal(signalingUrl(address), expected);
            });
        }
    }

    const signalingUrl = signalingUrlFor("http://192.168.115.131:8080/WebphoneAPI");
    for (const [address, message] of [
        ["ftp://pbx.example", /unsupported scheme "ftp:"/],
        ["pbx.example:99999", /Invalid URL/],
        ["a b", /Invalid URL/],
        ["[::1", /cannot read server address/],
        ["://pbx", /cannot read server address/]
    ]) {
        it(`refuses ${JSON.stringify(address)} with a clear error`, () => {
            assert.throws(() => signalingUrl(address), { message });
        });
    }
});
