// The JS Call's transition table, move by move: every legal move is listed here on its own, and
// every other pair of phase and event must be refused.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWebphoneApi } from "./support/webphone-api.mjs";

const api = loadWebphoneApi();
const { CallPhase, CallEvent, CallState, nextCallPhase, IllegalCallTransition, CALL_STATE_OF_PHASE } = api;

const PAGE_AND_LOCAL_EVENTS = ["start", "accept", "reject", "forward", "transfer", "hangUp", "fail", "connectionLost",
    "refused", "hold", "unhold", "sendMessage", "sendDtmf"];
const SERVER_STATES = ["RINGING", "IN_CALL", "HOLD", "COMPLETED", "REJECTED", "BUSY", "NOT_FOUND", "NOT_ANSWERED", "ERROR"];
const ALL_EVENTS = [...PAGE_AND_LOCAL_EVENTS, ...SERVER_STATES.map(state => `server:${state}`),
    ...SERVER_STATES.map(state => `redirected:${state}`)];
const FINAL_PHASES = ["COMPLETED", "REJECTED", "BUSY", "NOT_FOUND", "NOT_ANSWERED", "ERROR"];

// "phase event -> next"; "=" means a legal repeat that changes nothing.
const LEGAL_MOVES = [
    "NEW start -> DIALLING", "NEW hangUp -> COMPLETED", "NEW fail -> ERROR",

    "DIALLING server:RINGING -> RINGING", "DIALLING server:IN_CALL -> IN_CALL",
    "DIALLING server:BUSY -> BUSY", "DIALLING server:NOT_FOUND -> NOT_FOUND",
    "DIALLING server:COMPLETED -> COMPLETED", "DIALLING hangUp -> COMPLETED", "DIALLING fail -> ERROR",
    "DIALLING connectionLost -> COMPLETED",

    "RINGING server:RINGING -> =", "RINGING redirected:RINGING -> =",
    "RINGING server:IN_CALL -> IN_CALL", "RINGING server:REJECTED -> REJECTED",
    "RINGING server:NOT_ANSWERED -> NOT_ANSWERED", "RINGING server:COMPLETED -> COMPLETED",
    "RINGING server:BUSY -> BUSY", "RINGING server:NOT_FOUND -> NOT_FOUND",
    "RINGING hangUp -> COMPLETED", "RINGING fail -> ERROR", "RINGING connectionLost -> COMPLETED",

    "INCOMING accept -> ANSWERING", "INCOMING reject -> COMPLETED", "INCOMING forward -> FORWARDING",
    "INCOMING server:RINGING -> =",
    "INCOMING server:IN_CALL -> ERROR", "INCOMING server:NOT_ANSWERED -> NOT_ANSWERED",
    "INCOMING server:COMPLETED -> COMPLETED", "INCOMING hangUp -> COMPLETED", "INCOMING fail -> ERROR",
    "INCOMING connectionLost -> COMPLETED",

    "FORWARDING server:RINGING -> =", "FORWARDING redirected:COMPLETED -> COMPLETED", "FORWARDING refused -> INCOMING",
    "FORWARDING server:NOT_ANSWERED -> NOT_ANSWERED", "FORWARDING server:COMPLETED -> COMPLETED",
    "FORWARDING hangUp -> COMPLETED", "FORWARDING fail -> ERROR", "FORWARDING connectionLost -> COMPLETED",

    "ANSWERING accept -> =", "ANSWERING server:RINGING -> =", "ANSWERING server:IN_CALL -> IN_CALL",
    "ANSWERING server:NOT_ANSWERED -> NOT_ANSWERED", "ANSWERING server:COMPLETED -> COMPLETED",
    "ANSWERING hangUp -> COMPLETED", "ANSWERING fail -> ERROR", "ANSWERING connectionLost -> COMPLETED",

    "IN_CALL server:IN_CALL -> =", "IN_CALL server:HOLD -> HOLD", "IN_CALL server:COMPLETED -> COMPLETED",
    "IN_CALL transfer -> TRANSFERRING", "IN_CALL redirected:RINGING -> RINGING", "IN_CALL refused -> =",
    "IN_CALL hangUp -> COMPLETED", "IN_CALL fail -> ERROR", "IN_CALL connectionLost -> COMPLETED",
    // Requests the server decides: the phase waits for its answer.
    "IN_CALL hold -> =", "IN_CALL sendMessage -> =", "IN_CALL sendDtmf -> =",

    "TRANSFERRING server:IN_CALL -> =", "TRANSFERRING redirected:COMPLETED -> COMPLETED", "TRANSFERRING refused -> IN_CALL",
    "TRANSFERRING redirected:RINGING -> RINGING", "TRANSFERRING server:COMPLETED -> COMPLETED",
    "TRANSFERRING sendMessage -> =", "TRANSFERRING sendDtmf -> =", "TRANSFERRING server:HOLD -> HOLD",
    "TRANSFERRING hangUp -> COMPLETED", "TRANSFERRING fail -> ERROR", "TRANSFERRING connectionLost -> COMPLETED",

    "HOLD server:HOLD -> =", "HOLD server:IN_CALL -> IN_CALL", "HOLD server:COMPLETED -> COMPLETED",
    "HOLD hangUp -> COMPLETED", "HOLD fail -> ERROR", "HOLD connectionLost -> COMPLETED",
    "HOLD unhold -> =", "HOLD sendMessage -> =", "HOLD sendDtmf -> =",
    // A transfer asked for on hold waits in HOLD, as hold() waits in IN_CALL.
    "HOLD transfer -> =", "HOLD refused -> =", "HOLD redirected:COMPLETED -> COMPLETED", "HOLD redirected:RINGING -> RINGING",

    ...FINAL_PHASES.flatMap(phase => [`${phase} hangUp -> =`, `${phase} fail -> =`, `${phase} connectionLost -> =`])
];

function legalMove(phase, event) {
    const entry = LEGAL_MOVES.find(move => move.startsWith(`${phase} ${event} -> `));
    return entry === undefined ? undefined : entry.split(" -> ")[1];
}

describe("the Call's transition table", () => {
    it("knows every phase, and only these", () => {
        assert.deepEqual(Object.keys(CallPhase),
            ["NEW", "DIALLING", "RINGING", "INCOMING", "FORWARDING", "ANSWERING", "IN_CALL", "TRANSFERRING", "HOLD",
                ...FINAL_PHASES]);
    });

    for (const phase of Object.keys(CallPhase)) {
        for (const event of ALL_EVENTS) {
            const expected = legalMove(phase, event);
            if (expected === undefined) {
                it(`refuses ${event} in ${phase}`, () => {
                    assert.throws(() => nextCallPhase(phase, event), error =>
                        error instanceof IllegalCallTransition && error.phase === phase && error.event === event
                        && error.message === `${event} is not allowed in phase ${phase}`);
                });
            } else {
                const next = expected === "=" ? phase : expected;
                it(`moves ${phase} on ${event} to ${next}`, () => {
                    assert.equal(nextCallPhase(phase, event), next);
                });
            }
        }
    }

    it("refuses events and phases it has never heard of", () => {
        assert.throws(() => nextCallPhase("IN_CALL", "server:ANSWERED"), IllegalCallTransition);
        assert.throws(() => nextCallPhase("IN_CALL", "toString"), IllegalCallTransition);
        assert.throws(() => nextCallPhase("constructor", "hangUp"), IllegalCallTransition);
    });

    it("names every server state an event, and every state a forward or transfer brings", () => {
        assert.equal(CallEvent.server(CallState.IN_CALL), "server:IN_CALL");
        assert.equal(CallEvent.redirected(CallState.RINGING), "redirected:RINGING");
    });

    it("derives what the page sees from the phase", () => {
        assert.deepEqual({ ...CALL_STATE_OF_PHASE }, {
            NEW: null, DIALLING: null, RINGING: "RINGING", INCOMING: "RINGING", FORWARDING: "RINGING",
            ANSWERING: "RINGING", IN_CALL: "IN_CALL", TRANSFERRING: "IN_CALL", HOLD: "HOLD", COMPLETED: "COMPLETED", REJECTED: "REJECTED", BUSY: "BUSY",
            NOT_FOUND: "NOT_FOUND", NOT_ANSWERED: "NOT_ANSWERED", ERROR: "ERROR"
        });
    });

    it("ends only in the final phases, which nothing but echoes reaches again", () => {
        for (const phase of FINAL_PHASES) {
            assert.ok(api.FINAL_CALL_STATES.has(CALL_STATE_OF_PHASE[phase]), phase);
        }
        for (const phase of ["NEW", "DIALLING", "RINGING", "INCOMING", "FORWARDING", "ANSWERING", "IN_CALL", "TRANSFERRING",
            "HOLD"]) {
            assert.ok(!api.FINAL_CALL_STATES.has(CALL_STATE_OF_PHASE[phase]), phase);
        }
    });
});
