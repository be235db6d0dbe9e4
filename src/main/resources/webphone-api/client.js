// OzWebClient: the page's single connection to one webphone line. It owns the connection's life
// (handshake, access, loss), routes the server's messages to the calls they name, and publishes
// the globals the tutorial pages use.

// Covers both a socket that never opens and a server that never answers connect: pages must hear
// CONNECTION_FAILED within seconds, not after the browser's own minute-long timeouts.
const HANDSHAKE_TIMEOUT_MS = 5000;

class WebphoneClient {
    #connection = null;
    #calls = new Map();
    #roster = new ClientRoster();
    #connectionStates = new EventChannel("onConnectionStateChanged");
    #incomingCalls = new EventChannel("onIncomingCall", call => call.getCallState() === CallState.RINGING);
    #userInfo = new EventChannel("onUserInfoReceived");
    #port;

    // PeerConnection replaces the browser's RTCPeerConnection for every call (tests wire two
    // clients back to back with it); by default each call uses the browser's own.
    constructor({ PeerConnection } = {}) {
        this.#port = this.#createPort(PeerConnection);
    }

    #createPort(PeerConnection) {
        return Object.freeze({
            send: message => this.#connection !== null && this.#connection.transport.send(message),
            isConnected: () => this.#connection !== null && this.#connection.granted,
            iceServers: () => this.#connection ? this.#connection.iceServers : [],
            iceTransportPolicy: () => this.#connection ? this.#connection.iceTransportPolicy : "all",
            register: (callId, call) => this.#calls.set(callId, call),
            unregister: callId => this.#calls.delete(callId),
            PeerConnection
        });
    }

    connect(serverAddress, lineOrToken, properties) {
        if (this.#connection) {
            log.warn("connect() ignored: already connected or connecting; call disconnect() first");
            return;
        }
        const connection = { granted: false, phoneNumber: null, iceServers: [], iceTransportPolicy: "all", transport: null };
        this.#connection = connection;
        this.#roster.reset();
        let url;
        try {
            url = signalingUrl(serverAddress);
            log.info(`connecting to line "${lineOrToken}" at ${url}`);
            connection.transport = new SignalingTransport(url, {
                opened: () => connection.transport.send(connectMessage(lineOrToken, properties)),
                received: message => this.#receive(connection, message),
                closed: (wasOpen, detail) => this.#transportClosed(connection, wasOpen, `${url}, ${detail}`)
            });
        } catch (failure) {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `cannot connect: ${failure.message}`);
            return;
        }
        connection.timer = setTimeout(() => this.#end(connection, ConnectionState.CONNECTION_FAILED,
            `no answer from ${url} within ${HANDSHAKE_TIMEOUT_MS / 1000} s`), HANDSHAKE_TIMEOUT_MS);
    }

    // The server would end the calls itself when the socket closes; hanging up first tells it
    // why and lets this page see COMPLETED straight away.
    disconnect() {
        const connection = this.#connection;
        if (!connection) {
            return;
        }
        Array.from(this.#calls.values()).forEach(call => call.hangUp());
        this.#end(connection, ConnectionState.CONNECTION_CLOSED, "disconnected by the page", "info");
    }

    onConnectionStateChanged(handler) {
        this.#connectionStates.add(handler);
    }

    onClientStateChanged(handler) {
        this.#roster.subscribe(handler);
    }

    onIncomingCall(handler) {
        this.#incomingCalls.add(handler);
    }

    onUserInfoReceived(handler) {
        this.#userInfo.add(handler);
    }

    createCall(number, callType) {
        const otherParty = number === undefined || number === null ? "" : String(number);
        return new Call(this.#port, { id: newCallId(), otherParty, callType, incoming: false });
    }

    #receive(connection, message) {
        switch (message.type) {
            case "access-granted":
                this.#accessGranted(connection, message);
                break;
            case "access-denied":
                this.#end(connection, ConnectionState.ACCESS_DENIED, `access denied: ${message.reason || "no reason given"}`);
                break;
            case "client-states":
                this.#clientStates(connection, message);
                break;
            case "client-state":
                // One client per message, as servers before client-states send it.
                if (message.phoneNumber !== connection.phoneNumber) {
                    this.#roster.update(message.phoneNumber, message.status, message.properties);
                }
                break;
            case "incoming":
                this.#incoming(message);
                break;
            case "call-state":
                this.#forCall(message, call => call.handleCallState(message));
                break;
            case "sdp":
            case "ice":
                this.#forCall(message, call => call.handleSignal(message));
                break;
            case "error":
                if (message.callId && this.#calls.has(message.callId)) {
                    this.#calls.get(message.callId).handleError(message);
                } else {
                    log.warn(`the server refused a message: ${message.code} ${message.message || ""}`);
                }
                break;
            default:
                log.warn(`ignored a server message of unknown type "${message.type}"`);
        }
    }

    // A batch of changes, or (with mode "full") everyone online, which the page may list itself in.
    #clientStates(connection, { mode, clients }) {
        const others = (Array.isArray(clients) ? clients : [])
            .filter(client => client && client.phoneNumber !== connection.phoneNumber);
        if (mode === "full") {
            this.#roster.replace(others);
            return;
        }
        if (mode === "watched") {
            log.info("the line is too big to hear of every client; only watched numbers are kept up to date");
        }
        others.forEach(client => this.#roster.update(client.phoneNumber, client.status, client.properties));
    }

    #accessGranted(connection, { line, phoneNumber, iceServers, iceTransportPolicy }) {
        clearTimeout(connection.timer);
        connection.granted = true;
        connection.phoneNumber = phoneNumber;
        connection.iceServers = Array.isArray(iceServers) ? iceServers : [];
        // Anything but the two values browsers know would make every RTCPeerConnection throw.
        connection.iceTransportPolicy = iceTransportPolicy === "relay" ? "relay" : "all";
        log.info(`${ConnectionState.ACCESS_GRANTED}: on line "${line}" as number ${phoneNumber}`);
        this.#connectionStates.emit(connectionStateEvent(ConnectionState.ACCESS_GRANTED));
        this.#userInfo.emit(Object.freeze({ phoneNumber, line }));
    }

    #incoming({ callId, from, callType }) {
        if (typeof callId !== "string" || this.#calls.has(callId)) {
            log.warn(`ignored an incoming call with a missing or duplicate id: ${callId}`);
            return;
        }
        const call = new Call(this.#port, { id: callId, otherParty: from, callType, incoming: true });
        this.#incomingCalls.emit(call);
    }

    // Messages for a call this page no longer knows are late echoes of one it already ended.
    #forCall(message, handle) {
        const call = this.#calls.get(message.callId);
        if (call) {
            handle(call);
        } else {
            log.debug(`ignored ${message.type} for call ${message.callId}, which is over or unknown`);
        }
    }

    #transportClosed(connection, wasOpen, detail) {
        if (connection.granted) {
            this.#end(connection, ConnectionState.CONNECTION_CLOSED, `server connection lost (${detail})`, "warn");
        } else if (wasOpen) {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `server closed the connection before granting access (${detail})`);
        } else {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `cannot reach the server (${detail})`);
        }
    }

    // The one way a connection ends, whatever ended it; later events from it are ignored.
    #end(connection, state, reason, level = "error") {
        if (this.#connection !== connection) {
            return;
        }
        this.#connection = null;
        clearTimeout(connection.timer);
        if (connection.transport) {
            connection.transport.close();
        }
        // The state's name in words, since pages log the String object, which some consoles show bare.
        log[level](`${state}: ${reason}`);
        Array.from(this.#calls.values()).forEach(call => call.handleConnectionLost());
        this.#roster.reset();
        this.#connectionStates.emit(connectionStateEvent(state, reason));
    }
}

function connectMessage(lineOrToken, properties) {
    const message = { type: "connect", line: String(lineOrToken === undefined || lineOrToken === null ? "" : lineOrToken) };
    if (properties && typeof properties === "object") {
        message.properties = { ...properties };
    }
    return message;
}

window.OzWebClient = new WebphoneClient();
window.ConnectionState = ConnectionState;
window.CallState = CallState;
window.CallType = CallType;
