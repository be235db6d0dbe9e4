// The signalling WebSocket: JSON objects in and out, nothing about lines or calls.
// The listener gets opened(), received(message) and closed(wasOpen, detail, code), the last exactly once
// and never after the owner called close() itself.
class SignalingTransport {
    #socket;
    #listener;
    #wasOpen = false;
    #finished = false;

    constructor(url, listener) {
        this.#listener = listener;
        this.#socket = new WebSocket(url);
        this.#socket.onopen = () => {
            this.#wasOpen = true;
            listener.opened();
        };
        this.#socket.onmessage = event => this.#receive(event.data);
        // A failed handshake fires error then close; close carries the code, so report from there.
        this.#socket.onerror = () => {};
        this.#socket.onclose = event => this.#finish(event);
    }

    send(message) {
        if (this.#finished || this.#socket.readyState !== WebSocket.OPEN) {
            log.warn(`not sent, the server connection is not open: ${message.type}`);
            return false;
        }
        this.#socket.send(JSON.stringify(message));
        return true;
    }

    close() {
        this.#finished = true;
        this.#socket.close(1000, "client disconnect");
    }

    #receive(data) {
        let message;
        try {
            message = JSON.parse(data);
        } catch (failure) {
            log.warn("ignored a server frame that is not JSON:", data);
            return;
        }
        if (!message || typeof message.type !== "string") {
            log.warn("ignored a server message without a type:", message);
            return;
        }
        if (!this.#finished) {
            this.#listener.received(message);
        }
    }

    #finish(event) {
        if (this.#finished) {
            return;
        }
        this.#finished = true;
        const detail = `code ${event.code}${event.reason ? ", " + event.reason : ""}`;
        this.#listener.closed(this.#wasOpen, detail, event.code);
    }
}
