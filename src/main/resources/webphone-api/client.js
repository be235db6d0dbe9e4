// OzWebClient: the page's single connection to one webphone line. It owns the connection's life
// (handshake, access, loss, reconnect and resume), routes the server's messages to the calls they
// name, and publishes the globals the tutorial pages use.
//
// A connection that breaks while granted is not reported to the page at once: the client reconnects
// with back-off and resumes its session with the secret the server gave it, keeping its number and
// its call. Only when that is impossible (refused, or the grace period has passed) does the page see
// CONNECTION_CLOSED, followed by ACCESS_GRANTED once a fresh connect succeeds.

// Covers both a socket that never opens and a server that never answers connect: pages must hear
// CONNECTION_FAILED within seconds, not after the browser's own minute-long timeouts.
const HANDSHAKE_TIMEOUT_MS = 5000;

class WebphoneClient {
    #connection = null;
    #calls = new Map();
    #roster = new ClientRoster();
    #connectionStates = new EventChannel("onConnectionStateChanged");
    #incomingCalls = new EventChannel("onIncomingCall", call => call.getCallState() === CallState.RINGING);
    // Ours: every call of this client, outgoing ones when created and incoming ones when they arrive.
    #allCalls = new EventChannel("onCall", call => !FINAL_CALL_STATES.has(call.getCallState()));
    #userInfo = new EventChannel("onUserInfoReceived");
    #reconnect = new ReconnectPolicy(RECONNECT_DEFAULTS);
    #pageHideWatched = false;
    #port;

    // PeerConnection replaces the browser's RTCPeerConnection for every call (tests wire two
    // clients back to back with it); by default each call uses the browser's own.
    constructor({ PeerConnection } = {}) {
        this.#port = this.#createPort(PeerConnection);
    }

    #createPort(PeerConnection) {
        return Object.freeze({
            send: message => this.#connection !== null && this.#connection.transport !== null
                && this.#connection.transport.send(message),
            isConnected: () => this.#connection !== null && this.#connection.granted,
            iceServers: () => this.#connection ? this.#connection.iceServers : [],
            iceTransportPolicy: () => this.#connection ? this.#connection.iceTransportPolicy : "all",
            register: (callId, call) => this.#calls.set(callId, call),
            unregister: callId => this.#calls.delete(callId),
            PeerConnection
        });
    }

    // extension (ours): {extension, password} connects as that extension of the line, with its fixed
    // number, instead of a number the line hands out.
    connect(serverAddress, lineOrToken, properties, extension) {
        if (this.#connection) {
            log.warn("connect() ignored: already connected or connecting; call disconnect() first");
            return;
        }
        const connection = {
            granted: false, phoneNumber: null, iceServers: [], iceTransportPolicy: "all", transport: null,
            url: null, line: lineOrToken, connectMessage: connectMessage(lineOrToken, properties, extension),
            secret: null, graceMs: 0, lostAt: null, attempt: 0, retryTimer: null, told: false
        };
        this.#connection = connection;
        this.#roster.reset();
        let url;
        try {
            url = signalingUrl(serverAddress);
            connection.url = url;
            // A reload of this tab within the grace period takes its number back.
            connection.secret = ResumeStore.take(url, connection.line);
            this.#watchPageHide();
            log.info(`connecting to line "${lineOrToken}" at ${url}${connection.secret ? " (resuming this tab's session)" : ""}`);
            this.#open(connection);
        } catch (failure) {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `cannot connect: ${failure.message}`);
            return;
        }
        connection.timer = setTimeout(() => this.#end(connection, ConnectionState.CONNECTION_FAILED,
            `no answer from ${url} within ${HANDSHAKE_TIMEOUT_MS / 1000} s`), HANDSHAKE_TIMEOUT_MS);
    }

    // Ours: how the client reconnects after a lost connection; see docs/webphone-client.md.
    setReconnect(settings) {
        this.#reconnect = new ReconnectPolicy(ReconnectPolicy.settings(this.#reconnect.settings, settings));
    }

    // One socket of the connection: the first, or a reconnect. It resumes when there is a secret.
    #open(connection) {
        const transport = new SignalingTransport(connection.url, {
            opened: () => transport.send(connection.secret
                ? { type: "resume", secret: connection.secret }
                : connection.connectMessage),
            received: message => {
                if (connection.transport === transport) {
                    this.#receive(connection, message);
                }
            },
            closed: (wasOpen, detail, code) => {
                if (connection.transport === transport) {
                    this.#transportClosed(connection, wasOpen, `${connection.url}, ${detail}`, code);
                }
            }
        });
        connection.transport = transport;
    }

    #watchPageHide() {
        if (this.#pageHideWatched) {
            return;
        }
        this.#pageHideWatched = true;
        window.addEventListener("pagehide", () => {
            const connection = this.#connection;
            if (connection && connection.secret && connection.told) {
                ResumeStore.keep(connection.url, connection.line, connection.secret, connection.graceMs);
            }
        });
    }

    // The server would end the calls itself when the socket closes; hanging up first tells it
    // why and lets this page see COMPLETED straight away.
    disconnect() {
        const connection = this.#connection;
        if (!connection) {
            return;
        }
        Array.from(this.#calls.values()).forEach(call => call.hangUp());
        // The number is given up too: a reload after disconnect() starts afresh.
        connection.secret = null;
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

    /** Ours: fn(call) for every call of this client, as it is created or arrives. */
    onCall(handler) {
        this.#allCalls.add(handler);
    }

    onUserInfoReceived(handler) {
        this.#userInfo.add(handler);
    }

    createCall(number, callType) {
        const otherParty = number === undefined || number === null ? "" : String(number);
        const call = new Call(this.#port, { id: newCallId(), otherParty, callType, incoming: false });
        this.#allCalls.emit(call);
        return call;
    }

    #receive(connection, message) {
        switch (message.type) {
            case "access-granted":
                this.#accessGranted(connection, message);
                break;
            case "resumed":
                this.#resumed(connection, message);
                break;
            case "resume-refused":
                this.#resumeRefused(connection, message);
                break;
            case "restart-ice":
                this.#forCall(message, call => call.restartIce());
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
            case "message":
            case "dtmf":
                this.#forCall(message, call => call.handlePartyMessage(message));
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

    #accessGranted(connection, message) {
        this.#granted(connection, message);
        this.#tellGranted(connection, message);
    }

    #granted(connection, { phoneNumber, iceServers, iceTransportPolicy, resumeSecret, resumeGraceMs }) {
        clearTimeout(connection.timer);
        connection.granted = true;
        connection.phoneNumber = phoneNumber;
        connection.iceServers = Array.isArray(iceServers) ? iceServers : [];
        // Anything but the two values browsers know would make every RTCPeerConnection throw.
        connection.iceTransportPolicy = iceTransportPolicy === "relay" ? "relay" : "all";
        connection.secret = typeof resumeSecret === "string" ? resumeSecret : null;
        connection.graceMs = Number(resumeGraceMs) > 0 ? Number(resumeGraceMs) : 0;
        connection.lostAt = null;
        connection.attempt = 0;
    }

    #tellGranted(connection, { line, phoneNumber }) {
        connection.told = true;
        log.info(`${ConnectionState.ACCESS_GRANTED}: on line "${line}" as number ${phoneNumber}`);
        this.#connectionStates.emit(connectionStateEvent(ConnectionState.ACCESS_GRANTED));
        this.#userInfo.emit(Object.freeze({ phoneNumber, line }));
    }

    // The session is back on this socket: same number, and the call as the server holds it. A page
    // that already knew the session (a reconnect) hears nothing; a reloaded page hears ACCESS_GRANTED.
    #resumed(connection, message) {
        const wasTold = connection.told;
        this.#granted(connection, message);
        log.info(`resumed on line "${message.line}" as number ${message.phoneNumber}`);
        const kept = message.call && typeof message.call.callId === "string" ? message.call : null;
        for (const [callId, call] of Array.from(this.#calls.entries())) {
            if (!kept || callId !== kept.callId) {
                call.handleConnectionLost("the call ended while the connection was down");
            }
        }
        if (kept) {
            const call = this.#calls.get(kept.callId);
            if (!call) {
                // A call this page no longer has (it was reloaded, or hung up while offline) must end.
                connection.transport.send({ type: "hangup", callId: kept.callId, reason: "the page no longer has this call" });
            } else {
                call.handleResumed(kept, connection.iceServers);
            }
        }
        if (!wasTold) {
            this.#tellGranted(connection, message);
        }
    }

    // Nothing to resume (wrong, spent or expired secret): the page learns the session is over, and
    // the same socket joins afresh.
    #resumeRefused(connection, { reason }) {
        log.warn(`could not resume the session: ${reason || "refused"}; connecting afresh`);
        connection.secret = null;
        if (connection.told) {
            this.#sessionLost(connection, `session could not be resumed: ${reason || "refused"}`);
        }
        connection.transport.send(connection.connectMessage);
    }

    // The page hears the session is gone, its calls end, but the client stays and keeps trying.
    #sessionLost(connection, reason) {
        connection.told = false;
        connection.granted = false;
        connection.secret = null;
        log.warn(`${ConnectionState.CONNECTION_CLOSED}: ${reason}`);
        Array.from(this.#calls.values()).forEach(call => call.handleConnectionLost());
        this.#roster.reset();
        this.#connectionStates.emit(connectionStateEvent(ConnectionState.CONNECTION_CLOSED, reason));
    }

    #incoming({ callId, from, callType }) {
        if (typeof callId !== "string" || this.#calls.has(callId)) {
            log.warn(`ignored an incoming call with a missing or duplicate id: ${callId}`);
            return;
        }
        const call = new Call(this.#port, { id: callId, otherParty: from, callType, incoming: true });
        this.#incomingCalls.emit(call);
        this.#allCalls.emit(call);
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

    #transportClosed(connection, wasOpen, detail, code) {
        // Without a secret (a server that does not offer resume) a lost connection is simply over.
        if (connection.lostAt !== null || (connection.granted && connection.secret && this.#shouldReconnect(code))) {
            this.#retry(connection, detail);
        } else if (connection.granted && code === RESUMED_ELSEWHERE) {
            connection.secret = null;
            this.#end(connection, ConnectionState.CONNECTION_CLOSED, `this session was resumed in another tab or window (${detail})`, "warn");
        } else if (connection.granted) {
            this.#end(connection, ConnectionState.CONNECTION_CLOSED, `server connection lost (${detail})`, "warn");
        } else if (wasOpen) {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `server closed the connection before granting access (${detail})`);
        } else {
            this.#end(connection, ConnectionState.CONNECTION_FAILED, `cannot reach the server (${detail})`);
        }
    }

    #shouldReconnect(code) {
        return this.#reconnect.enabled && code !== RESUMED_ELSEWHERE && code !== 1008 && code !== 1000;
    }

    // Tries again after a back-off; resumes while the grace period lasts, joins afresh after it.
    #retry(connection, detail) {
        clearTimeout(connection.timer);
        if (connection.lostAt === null) {
            connection.lostAt = Date.now();
            connection.attempt = 0;
            connection.granted = false;
            log.warn(`server connection lost (${detail}); reconnecting`);
        }
        if (connection.secret && connection.told && Date.now() - connection.lostAt > connection.graceMs) {
            this.#sessionLost(connection, `server connection lost and not back within ${connection.graceMs / 1000} s (${detail})`);
        }
        const delay = this.#reconnect.delay(connection.attempt++);
        log.debug(`reconnect attempt ${connection.attempt} in ${delay} ms`);
        connection.retryTimer = setTimeout(() => {
            if (this.#connection !== connection) {
                return;
            }
            this.#open(connection);
            connection.timer = setTimeout(() => {
                if (this.#connection === connection && !connection.granted) {
                    const stalled = connection.transport;
                    connection.transport = null;
                    stalled.close();
                    this.#retry(connection, `no answer within ${HANDSHAKE_TIMEOUT_MS / 1000} s`);
                }
            }, HANDSHAKE_TIMEOUT_MS);
        }, delay);
    }

    // The one way a connection ends, whatever ended it; later events from it are ignored.
    #end(connection, state, reason, level = "error") {
        if (this.#connection !== connection) {
            return;
        }
        this.#connection = null;
        clearTimeout(connection.timer);
        clearTimeout(connection.retryTimer);
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

function connectMessage(lineOrToken, properties, extension) {
    const message = { type: "connect", line: String(lineOrToken === undefined || lineOrToken === null ? "" : lineOrToken) };
    if (properties && typeof properties === "object") {
        message.properties = { ...properties };
    }
    if (extension && typeof extension === "object" && extension.extension !== undefined) {
        message.extension = String(extension.extension);
        message.password = String(extension.password === undefined ? "" : extension.password);
    }
    return message;
}

// The close code of a connection whose session a newer connection (another tab) resumed.
const RESUMED_ELSEWHERE = 4001;

window.OzWebClient = new WebphoneClient();
window.ConnectionState = ConnectionState;
window.CallState = CallState;
window.CallType = CallType;
