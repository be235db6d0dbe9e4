// The browser around the client, faked: a clock the test moves, a microphone the test grants or
// denies, a document to play remote audio in, and a WebSocket whose server side the test plays.

/** setTimeout/clearTimeout that run only when the test calls tick(ms). */
export class FakeClock {
    #now = 0;
    #timers = new Map();
    #nextId = 1;

    setTimeout = (callback, delay = 0) => {
        const id = this.#nextId++;
        this.#timers.set(id, { at: this.#now + delay, callback });
        return id;
    };

    clearTimeout = id => {
        this.#timers.delete(id);
    };

    get pending() {
        return this.#timers.size;
    }

    tick(ms) {
        this.#now += ms;
        const due = [...this.#timers.entries()].filter(([, timer]) => timer.at <= this.#now)
            .sort(([, a], [, b]) => a.at - b.at);
        for (const [id, timer] of due) {
            if (this.#timers.delete(id)) {
                timer.callback();
            }
        }
    }
}

let nextTrackId = 1;
let nextStreamId = 1;

export class FakeTrack {
    constructor(kind) {
        this.kind = kind;
        this.id = `track${nextTrackId++}`;
        this.stopped = false;
        // false sends silence (or black), as a muted microphone does.
        this.enabled = true;
    }

    get readyState() {
        return this.stopped ? "ended" : "live";
    }

    stop() {
        this.stopped = true;
    }
}

export class FakeMediaStream {
    #tracks;

    constructor(tracks = []) {
        this.id = `stream${nextStreamId++}`;
        this.#tracks = [...tracks];
    }

    getTracks() {
        return [...this.#tracks];
    }

    getAudioTracks() {
        return this.#tracks.filter(track => track.kind === "audio");
    }

    getVideoTracks() {
        return this.#tracks.filter(track => track.kind === "video");
    }

    addTrack(track) {
        if (!this.#tracks.includes(track)) {
            this.#tracks.push(track);
        }
    }

    removeTrack(track) {
        this.#tracks = this.#tracks.filter(candidate => candidate !== track);
    }
}

/**
 * navigator.mediaDevices.getUserMedia that hands out a stream at once, or when the test says:
 * with {hold: true}, each request waits for grant() or deny(). camera says what a request for video
 * meets: "granted", "denied" (the user said no: NotAllowedError) or "absent" (NotFoundError, as
 * Chrome reports a machine without one); an audio-only request is granted whatever it says.
 */
export class FakeMicrophone {
    requests = [];
    #hold;
    camera;

    constructor({ hold = false, camera = "granted" } = {}) {
        this.#hold = hold;
        this.camera = camera;
    }

    get navigator() {
        return { mediaDevices: { getUserMedia: constraints => this.#request(constraints) } };
    }

    #request(constraints) {
        return new Promise((resolve, reject) => {
            const request = {
                constraints,
                stream: new FakeMediaStream([
                    ...(constraints.audio ? [new FakeTrack("audio")] : []),
                    ...(constraints.video ? [new FakeTrack("video")] : [])
                ]),
                grant: () => resolve(request.stream),
                deny: () => reject(Object.assign(new Error("Permission denied"), { name: "NotAllowedError" }))
            };
            this.requests.push(request);
            if (constraints.video && this.camera === "absent") {
                reject(Object.assign(new Error("Requested device not found"), { name: "NotFoundError" }));
            } else if (constraints.video && this.camera === "denied") {
                request.deny();
            } else if (!this.#hold) {
                request.grant();
            }
        });
    }
}

/** An element of the fake document: attributes, children, and what media elements have. */
class FakeElement {
    attributes = {};
    children = [];
    parent = null;
    id = "";
    srcObject = null;
    hidden = false;
    plays = 0;

    constructor(tag) {
        this.tag = tag;
        this.tagName = tag.toUpperCase();
    }

    setAttribute(name, value) {
        this.attributes[name] = String(value);
    }

    getAttribute(name) {
        return Object.prototype.hasOwnProperty.call(this.attributes, name) ? this.attributes[name] : null;
    }

    hasAttribute(name) {
        return Object.prototype.hasOwnProperty.call(this.attributes, name);
    }

    appendChild(child) {
        child.remove();
        child.parent = this;
        this.children.push(child);
        return child;
    }

    play() {
        this.plays++;
        return Promise.resolve();
    }

    remove() {
        if (this.parent) {
            this.parent.children.splice(this.parent.children.indexOf(this), 1);
            this.parent = null;
        }
    }

    /** This element and everything inside it, depth first. */
    *descendants() {
        yield this;
        for (const child of this.children) {
            yield* child.descendants();
        }
    }
}

/**
 * Just enough document for the remote <audio> element, the video displays a page names by id
 * (addPageElement), and the script's own address. elements are the body's children.
 */
export class FakeDocument {
    body = new FakeElement("body");

    constructor(scriptSrc = "http://localhost:8080/WebphoneAPI") {
        this.currentScript = { src: scriptSrc };
    }

    get elements() {
        return this.body.children;
    }

    createElement(tag) {
        return new FakeElement(tag);
    }

    /** An element of the page itself, as the page's HTML would have it. */
    addPageElement(tag, id) {
        const element = this.body.appendChild(new FakeElement(tag));
        element.id = id;
        return element;
    }

    getElementById(id) {
        for (const element of this.body.descendants()) {
            if (element !== this.body && element.id === id) {
                return element;
            }
        }
        return null;
    }

    addEventListener() {}
}

/**
 * A WebSocket class whose instances the test drives from the server's side: open(), serverSends(),
 * serverCloses(). What the client sent is in sent, parsed.
 */
export function fakeWebSocketClass() {
    class FakeWebSocket {
        static CONNECTING = 0;
        static OPEN = 1;
        static CLOSING = 2;
        static CLOSED = 3;
        static instances = [];

        readyState = FakeWebSocket.CONNECTING;
        sent = [];
        closedByClient = null;

        constructor(url) {
            this.url = url;
            FakeWebSocket.instances.push(this);
        }

        static get last() {
            return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
        }

        send(text) {
            if (this.readyState !== FakeWebSocket.OPEN) {
                throw new Error("send on a socket that is not open");
            }
            this.sent.push(JSON.parse(text));
        }

        close(code, reason) {
            this.closedByClient = { code, reason };
            this.readyState = FakeWebSocket.CLOSED;
            setImmediate(() => this.onclose({ code: code || 1005, reason: reason || "" }));
        }

        open() {
            this.readyState = FakeWebSocket.OPEN;
            this.onopen({});
        }

        serverSends(message) {
            this.onmessage({ data: typeof message === "string" ? message : JSON.stringify(message) });
        }

        serverCloses(code = 1006, reason = "") {
            this.readyState = FakeWebSocket.CLOSED;
            this.onclose({ code, reason });
        }

        sentOfType(type) {
            return this.sent.filter(message => message.type === type);
        }
    }
    return FakeWebSocket;
}

/** sessionStorage: strings by key, for this tab only. */
export class FakeStorage {
    #items = new Map();

    getItem(key) {
        return this.#items.has(key) ? this.#items.get(key) : null;
    }

    setItem(key, value) {
        this.#items.set(key, String(value));
    }

    removeItem(key) {
        this.#items.delete(key);
    }

    get length() {
        return this.#items.size;
    }
}

/** The window of one tab: its address, its sessionStorage, and events the test fires (pagehide). */
export class FakeWindow {
    location = { href: "http://localhost:8080/voicecall" };
    sessionStorage = new FakeStorage();
    #listeners = [];

    addEventListener(type, listener) {
        this.#listeners.push({ type, listener });
    }

    fire(type) {
        this.#listeners.filter(entry => entry.type === type).forEach(entry => entry.listener({ type }));
    }
}
