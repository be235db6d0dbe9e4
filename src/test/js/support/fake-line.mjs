// Plays the embedded webphone line between several tabs' fake sockets, as docs/protocol.md describes
// it: dial, accept, hangup, the relay of sdp and ice, forward and transfer, with their refusals. Each
// tab hears its messages later (never inside its own send()), in the order the line decided them.
// Enough of the line for the client's tests; simultaneous dialling is not played.
export class FakeLine {
    #sockets = new Map();
    // number -> its call: {id, caller, callee, state, callType}; both parties share one object.
    #calls = new Map();

    /** Puts the tab whose socket this is on the line as number. */
    attach(number, socket) {
        this.#sockets.set(number, socket);
        const send = socket.send.bind(socket);
        socket.send = text => {
            send(text);
            this.#receive(number, JSON.parse(text));
        };
    }

    /** The call number is in, or undefined. */
    callOf(number) {
        return this.#calls.get(number);
    }

    #tell(number, message) {
        const socket = this.#sockets.get(number);
        setImmediate(() => socket.serverSends(message));
    }

    #refuse(number, code, callId) {
        this.#tell(number, { type: "error", code, message: `refused by the fake line: ${code}`, callId });
    }

    #receive(from, message) {
        const call = this.#calls.get(from);
        const mine = call !== undefined && call.id === message.callId;
        const other = mine ? (call.caller === from ? call.callee : call.caller) : undefined;
        switch (message.type) {
            case "dial":
                return this.#dial(from, message);
            case "accept":
                if (!mine || call.callee !== from || call.state !== "RINGING") {
                    return this.#refuse(from, mine ? "INVALID_STATE" : "UNKNOWN_CALL", message.callId);
                }
                call.state = "IN_CALL";
                this.#tell(call.caller, { type: "call-state", callId: call.id, state: "IN_CALL", otherParty: call.callee, offerer: true });
                this.#tell(call.callee, { type: "call-state", callId: call.id, state: "IN_CALL", otherParty: call.caller, offerer: false });
                return undefined;
            case "hangup":
                if (mine) {
                    this.#calls.delete(from);
                    this.#calls.delete(other);
                    this.#tell(from, { type: "call-state", callId: call.id, state: "COMPLETED", otherParty: other });
                    this.#tell(other, { type: "call-state", callId: call.id, state: "COMPLETED", otherParty: from });
                }
                return undefined;
            case "sdp":
            case "ice":
                if (!mine || call.state !== "IN_CALL") {
                    return this.#refuse(from, mine ? "INVALID_STATE" : "UNKNOWN_CALL", message.callId);
                }
                this.#tell(other, message);
                return undefined;
            case "forward":
            case "transfer":
                return this.#redirect(from, message, mine ? call : undefined, other);
            default:
                return this.#refuse(from, "MALFORMED");
        }
    }

    #dial(from, { callId, to, callType }) {
        if (!this.#sockets.has(to)) {
            return this.#tell(from, { type: "call-state", callId, state: "NOT_FOUND", otherParty: to });
        }
        if (this.#calls.has(to) || to === from) {
            return this.#tell(from, { type: "call-state", callId, state: "BUSY", otherParty: to });
        }
        const call = { id: callId, caller: from, callee: to, state: "RINGING", callType };
        this.#calls.set(from, call);
        this.#calls.set(to, call);
        this.#tell(from, { type: "call-state", callId, state: "RINGING", otherParty: to });
        this.#tell(to, { type: "incoming", callId, from, callType, properties: {} });
        return undefined;
    }

    #redirect(from, { type, callId, to }, call, staying) {
        if (!call) {
            return this.#refuse(from, "UNKNOWN_CALL", callId);
        }
        const allowed = type === "forward" ? call.state === "RINGING" && call.callee === from : call.state === "IN_CALL";
        if (!allowed) {
            return this.#refuse(from, "INVALID_STATE", callId);
        }
        if (to === from || to === staying) {
            return this.#refuse(from, "INVALID_TARGET", callId);
        }
        if (!this.#sockets.has(to)) {
            return this.#refuse(from, "NOT_FOUND", callId);
        }
        if (this.#calls.has(to)) {
            return this.#refuse(from, "BUSY", callId);
        }
        const redirect = type === "forward" ? "forwarded" : "transferred";
        const reseated = { id: callId, caller: staying, callee: to, state: "RINGING", callType: call.callType };
        this.#calls.delete(from);
        this.#calls.set(staying, reseated);
        this.#calls.set(to, reseated);
        this.#tell(from, { type: "call-state", callId, state: "COMPLETED", otherParty: staying, reason: redirect, redirect });
        this.#tell(staying, { type: "call-state", callId, state: "RINGING", otherParty: to, reason: redirect, redirect });
        this.#tell(to, { type: "incoming", callId, from: staying, callType: call.callType, properties: {} });
        return undefined;
    }
}
