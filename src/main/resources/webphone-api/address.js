// Where the signalling socket goes. connect() accepts a host, host:port or a full URL; whatever it
// does not say (scheme, port) comes from the URL this script was served from, so
// connect("192.168.115.131", ...) reaches the server that served WebphoneAPI on its own port.

const SIGNALING_PATH = "/webphone/ws";

// Must be read while the script is being evaluated: currentScript is null afterwards.
const scriptBaseUrl = new URL(
    (document.currentScript && document.currentScript.src) || window.location.href);

const SOCKET_SCHEMES = Object.freeze({ "http:": "ws:", "https:": "wss:", "ws:": "ws:", "wss:": "wss:" });

// scheme://, then a bracketed IPv6 literal or a plain host, then an optional port; any path is ignored.
const ADDRESS_PATTERN = /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\[[^\]\/]+\]|[^\/?#:\[\]]+)(?::(\d{1,5}))?(?:[\/?#].*)?$/i;

function signalingUrl(serverAddress) {
    const base = baseSocketOrigin();
    let address = String(serverAddress || "").trim();
    if (address === "") {
        return new URL(SIGNALING_PATH, `${base.scheme}//${base.host}`).href;
    }
    if (!address.includes("://") && !address.startsWith("[") && address.split(":").length > 2) {
        address = `[${address}]`; // a bare IPv6 literal such as ::1
    }
    const match = ADDRESS_PATTERN.exec(address);
    if (!match) {
        throw new Error(`cannot read server address "${serverAddress}"`);
    }
    const [, givenScheme, host, givenPort] = match;
    const scheme = givenScheme ? SOCKET_SCHEMES[givenScheme.toLowerCase()] : base.scheme;
    if (!scheme) {
        throw new Error(`unsupported scheme "${givenScheme}" in server address "${serverAddress}"`);
    }
    let port = givenPort;
    if (port === undefined) {
        // The script's port only makes sense for the script's own scheme; a URL that switches
        // scheme (http page, "https://host") means that scheme's default port.
        port = scheme === base.scheme ? base.port : "";
    }
    // new URL validates the host and normalises default ports away.
    return new URL(SIGNALING_PATH, `${scheme}//${host}${port ? ":" + port : ""}`).href;
}

function baseSocketOrigin() {
    const scheme = SOCKET_SCHEMES[scriptBaseUrl.protocol];
    if (!scheme) {
        // Script from file: or similar: nothing to borrow but the insecure default.
        return { scheme: "ws:", host: "localhost", port: "" };
    }
    return { scheme, host: scriptBaseUrl.host, port: scriptBaseUrl.port };
}
