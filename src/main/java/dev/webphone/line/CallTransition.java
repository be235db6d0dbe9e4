package dev.webphone.line;

import dev.webphone.line.Call.Role;

import static dev.webphone.line.CallEvent.ANSWER;
import static dev.webphone.line.CallEvent.DECLINE;
import static dev.webphone.line.CallEvent.DIAL;
import static dev.webphone.line.CallEvent.DIAL_BACK;
import static dev.webphone.line.CallEvent.DIAL_BUSY;
import static dev.webphone.line.CallEvent.DIAL_NOT_FOUND;
import static dev.webphone.line.CallEvent.DISCONNECT;
import static dev.webphone.line.CallEvent.FAIL;
import static dev.webphone.line.CallEvent.FORWARD;
import static dev.webphone.line.CallEvent.GIVE_UP;
import static dev.webphone.line.CallEvent.HANG_UP;
import static dev.webphone.line.CallEvent.PUT_ON_HOLD;
import static dev.webphone.line.CallEvent.REFUSE_BUSY;
import static dev.webphone.line.CallEvent.REFUSE_NOT_FOUND;
import static dev.webphone.line.CallEvent.RING_TIMEOUT;
import static dev.webphone.line.CallEvent.TAKE_OFF_HOLD;
import static dev.webphone.line.CallEvent.TRANSFER;
import static dev.webphone.line.CallState.BUSY;
import static dev.webphone.line.CallState.COMPLETED;
import static dev.webphone.line.CallState.HOLD;
import static dev.webphone.line.CallState.IN_CALL;
import static dev.webphone.line.CallState.NOT_ANSWERED;
import static dev.webphone.line.CallState.NOT_FOUND;
import static dev.webphone.line.CallState.REJECTED;
import static dev.webphone.line.CallState.RINGING;

/**
 * The call state machine, one row per legal move, and what each party is told of it: the only
 * source of the states the line announces, refusals and the merge of a simultaneous dial included.
 * Every move not listed is illegal.
 *
 * <p>Columns: the state before ({@code null}: a dial, before the call has a state), the event, who
 * does it ({@code null}: the line's ring timer), the state after, what the caller is told (the state
 * after, except where a row says otherwise), what the callee is told ({@code null}: nothing;
 * {@code RINGING} is told as {@code incoming}), and what the callee is told under the id it knew the
 * call by until then, when the move gives it a new one ({@code null}: no new id).
 *
 * <p>A forward or a transfer ({@link #reseats() re-seats} the call): the party that moves leaves it
 * and hears what its column says ({@code COMPLETED}); the other party stays, under the id it knows the
 * call by, and hears the state after ({@code RINGING}) with the target as its new other party; the
 * target becomes the callee of the call and hears the state after too, as {@code incoming}. Who
 * stays is the caller from then on: the target answers it.
 */
enum CallTransition {

	/** A dial reaches a free client: the caller hears it ring, the callee gets the incoming call. */
	RINGS(null, DIAL, Role.CALLER, RINGING, RINGING, null),

	/** A dial to a client in another call never rings; only the caller hears of it. */
	REFUSED_BUSY(null, DIAL_BUSY, Role.CALLER, BUSY, null, null),

	/** A dial to a number nobody online has never rings; only the caller hears of it. */
	REFUSED_NOT_FOUND(null, DIAL_NOT_FOUND, Role.CALLER, NOT_FOUND, null, null),

	/** The callee answers. */
	ANSWERED(RINGING, ANSWER, Role.CALLEE, IN_CALL, IN_CALL, null),

	/**
	 * The callee dialled the caller at the same moment: the call is answered, and the incoming call
	 * the callee was told of ends ({@code COMPLETED}, reason {@code merged}) before it hears
	 * {@code IN_CALL} under the id of its own dial.
	 */
	MERGED(RINGING, DIAL_BACK, Role.CALLEE, IN_CALL, IN_CALL, COMPLETED),

	/** The callee declines: the caller hears {@code REJECTED}, the callee only that its call is over. */
	DECLINED(RINGING, DECLINE, Role.CALLEE, REJECTED, COMPLETED, null),

	/** The callee hangs up a ringing call, which is declining it. */
	DECLINED_BY_HANGING_UP(RINGING, HANG_UP, Role.CALLEE, REJECTED, COMPLETED, null),

	/**
	 * The callee, a phone behind a gateway, is busy: the caller hears {@code BUSY} after ringing (a
	 * browser's {@code BUSY} comes instead of ringing), the gateway that its call is over.
	 */
	BUSY_AT_GATEWAY(RINGING, REFUSE_BUSY, Role.CALLEE, BUSY, COMPLETED, null),

	/** The gateway has no such phone, or cannot reach it now: the caller hears {@code NOT_FOUND} after ringing. */
	NOT_FOUND_AT_GATEWAY(RINGING, REFUSE_NOT_FOUND, Role.CALLEE, NOT_FOUND, COMPLETED, null),

	/** The phone behind the gateway rang unanswered until the far end gave up. */
	NOT_ANSWERED_AT_GATEWAY(RINGING, GIVE_UP, Role.CALLEE, NOT_ANSWERED, COMPLETED, null),

	/** The gateway could not set the call up: the caller hears {@code COMPLETED}, with the reason. */
	FAILED_AT_GATEWAY(RINGING, FAIL, Role.CALLEE, COMPLETED, COMPLETED, null),

	/** The caller gives up before an answer. */
	CANCELLED(RINGING, HANG_UP, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The caller's connection is gone while it rings. */
	CALLER_LEFT_WHILE_RINGING(RINGING, DISCONNECT, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The callee's connection is gone while it rings. */
	CALLEE_LEFT_WHILE_RINGING(RINGING, DISCONNECT, Role.CALLEE, COMPLETED, COMPLETED, null),

	/** Nobody answered within the line's ring time-out. */
	NOT_ANSWERED_IN_TIME(RINGING, RING_TIMEOUT, null, NOT_ANSWERED, NOT_ANSWERED, null),

	/** The caller hangs up a connected call. */
	CALLER_HUNG_UP(IN_CALL, HANG_UP, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The callee hangs up a connected call. */
	CALLEE_HUNG_UP(IN_CALL, HANG_UP, Role.CALLEE, COMPLETED, COMPLETED, null),

	/** The caller's connection is gone during the call. */
	CALLER_LEFT(IN_CALL, DISCONNECT, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The callee's connection is gone during the call. */
	CALLEE_LEFT(IN_CALL, DISCONNECT, Role.CALLEE, COMPLETED, COMPLETED, null),

	/** The caller holds a connected call: both parties hear {@code HOLD}. */
	HELD_BY_CALLER(IN_CALL, PUT_ON_HOLD, Role.CALLER, HOLD, HOLD, null),

	/** The callee holds a connected call: both parties hear {@code HOLD}. */
	HELD_BY_CALLEE(IN_CALL, PUT_ON_HOLD, Role.CALLEE, HOLD, HOLD, null),

	/** The caller takes a held call off hold, whoever held it: both parties hear {@code IN_CALL}. */
	UNHELD_BY_CALLER(HOLD, TAKE_OFF_HOLD, Role.CALLER, IN_CALL, IN_CALL, null),

	/** The callee takes a held call off hold, whoever held it: both parties hear {@code IN_CALL}. */
	UNHELD_BY_CALLEE(HOLD, TAKE_OFF_HOLD, Role.CALLEE, IN_CALL, IN_CALL, null),

	/** The caller hangs up a held call. */
	CALLER_HUNG_UP_ON_HOLD(HOLD, HANG_UP, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The callee hangs up a held call. */
	CALLEE_HUNG_UP_ON_HOLD(HOLD, HANG_UP, Role.CALLEE, COMPLETED, COMPLETED, null),

	/** The caller's connection is gone while the call is held. */
	CALLER_LEFT_ON_HOLD(HOLD, DISCONNECT, Role.CALLER, COMPLETED, COMPLETED, null),

	/** The callee's connection is gone while the call is held. */
	CALLEE_LEFT_ON_HOLD(HOLD, DISCONNECT, Role.CALLEE, COMPLETED, COMPLETED, null),

	/**
	 * The callee sends the ringing call on to another number: the caller rings there, and the callee
	 * is done with it.
	 */
	FORWARDED(RINGING, FORWARD, Role.CALLEE, RINGING, RINGING, COMPLETED, null),

	/**
	 * The caller transfers the callee to another number: the callee rings there, and the caller is
	 * done with the call.
	 */
	TRANSFERRED_BY_CALLER(IN_CALL, TRANSFER, Role.CALLER, RINGING, COMPLETED, RINGING, null),

	/**
	 * The callee transfers the caller to another number: the caller rings there, and the callee is
	 * done with the call.
	 */
	TRANSFERRED_BY_CALLEE(IN_CALL, TRANSFER, Role.CALLEE, RINGING, RINGING, COMPLETED, null),

	/**
	 * The caller transfers the callee of a held call: the callee rings at the target (the hold ends
	 * with the call it held), and the caller is done with the call.
	 */
	TRANSFERRED_BY_CALLER_ON_HOLD(HOLD, TRANSFER, Role.CALLER, RINGING, COMPLETED, RINGING, null),

	/**
	 * The callee transfers the caller of a held call: the caller rings at the target (the hold ends
	 * with the call it held), and the callee is done with the call.
	 */
	TRANSFERRED_BY_CALLEE_ON_HOLD(HOLD, TRANSFER, Role.CALLEE, RINGING, RINGING, COMPLETED, null);

	final CallState from;

	final CallEvent event;

	final Role by;

	final CallState to;

	final CallState callerHears;

	final CallState calleeHears;

	final CallState calleeOldIdHears;

	/** A row whose caller hears the state after. */
	CallTransition(CallState from, CallEvent event, Role by, CallState to, CallState calleeHears,
			CallState calleeOldIdHears) {
		this(from, event, by, to, to, calleeHears, calleeOldIdHears);
	}

	CallTransition(CallState from, CallEvent event, Role by, CallState to, CallState callerHears,
			CallState calleeHears, CallState calleeOldIdHears) {
		this.from = from;
		this.event = event;
		this.by = by;
		this.to = to;
		this.callerHears = callerHears;
		this.calleeHears = calleeHears;
		this.calleeOldIdHears = calleeOldIdHears;
	}

	/**
	 * The move for an event.
	 * @param from the call's state, {@code null} for a dial
	 * @param event what happened
	 * @param by who did it, {@code null} for the ring timer
	 * @throws IllegalCallTransitionException when no row allows the move
	 */
	static CallTransition of(CallState from, CallEvent event, Role by) {
		for (CallTransition transition : values()) {
			if (transition.from == from && transition.event == event && transition.by == by) {
				return transition;
			}
		}
		throw new IllegalCallTransitionException(from, event, by);
	}

	/** What {@code role} is told of this move under the call's current id, {@code null} for nothing. */
	CallState heardBy(Role role) {
		return (role == Role.CALLER) ? this.callerHears : this.calleeHears;
	}

	/**
	 * Whether the move re-seats the call (a forward or a transfer): the party that made it leaves, the
	 * other stays and now calls a third client.
	 */
	boolean reseats() {
		return this.event == FORWARD || this.event == TRANSFER;
	}

}
