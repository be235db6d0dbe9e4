package dev.webphone.line;

import java.util.ArrayList;
import java.util.List;

/**
 * One call between two clients of a line, and the single authority on its state.
 *
 * <p>Each party knows the call by its own id (its "leg"): the id the caller chose when dialling, and
 * for the callee the same id, unless the callee dialled the caller at the same moment and the two
 * attempts were merged into this call ({@link #mergeAnswer}).
 *
 * <p>Not thread-safe: the {@link Switchboard} holds the monitors of both parties while it calls any
 * method that changes a call.
 */
final class Call {

	/** Which side of the call a client is on. */
	enum Role {
		CALLER, CALLEE
	}

	private final Client caller;

	private final Client callee;

	private final String callerLegId;

	private String calleeLegId;

	private final long startedNanos;

	private CallState state = CallState.RINGING;

	private final List<CallState> history = new ArrayList<>(4);

	Call(Client caller, Client callee, String callId) {
		this.caller = caller;
		this.callee = callee;
		this.callerLegId = callId;
		this.calleeLegId = callId;
		this.startedNanos = System.nanoTime();
		this.history.add(this.state);
	}

	/**
	 * The transition table of a call. Pure, so that every legal and illegal move can be tested alone.
	 * @param from the current state
	 * @param event what happened
	 * @param by who did it ({@code null} for the ring timer)
	 * @return the next state
	 * @throws IllegalCallTransitionException when the event is not allowed in {@code from}
	 */
	static CallState next(CallState from, CallEvent event, Role by) {
		if (from == CallState.RINGING) {
			switch (event) {
				case ANSWER, DECLINE:
					if (by == Role.CALLEE) {
						return (event == CallEvent.ANSWER) ? CallState.IN_CALL : CallState.REJECTED;
					}
					break;
				case HANG_UP:
					if (by != null) {
						return (by == Role.CALLEE) ? CallState.REJECTED : CallState.COMPLETED;
					}
					break;
				case DISCONNECT:
					if (by != null) {
						return CallState.COMPLETED;
					}
					break;
				case RING_TIMEOUT:
					if (by == null) {
						return CallState.NOT_ANSWERED;
					}
					break;
			}
		}
		else if (from == CallState.IN_CALL && by != null
				&& (event == CallEvent.HANG_UP || event == CallEvent.DISCONNECT)) {
			return CallState.COMPLETED;
		}
		throw new IllegalCallTransitionException(from, event, by);
	}

	/**
	 * Moves the call to its next state.
	 * @param event what happened
	 * @param by who did it ({@code null} for the ring timer)
	 * @return the new state
	 * @throws IllegalCallTransitionException when the event is not allowed now
	 */
	CallState apply(CallEvent event, Role by) {
		this.state = next(this.state, event, by);
		this.history.add(this.state);
		return this.state;
	}

	/**
	 * Answers this ringing call on behalf of its callee, who has just dialled the caller: from now on
	 * the callee knows the call by the id of its own dial.
	 * @param calleeDialId the id the callee chose for its own dial
	 */
	void mergeAnswer(String calleeDialId) {
		apply(CallEvent.ANSWER, Role.CALLEE);
		this.calleeLegId = calleeDialId;
	}

	/**
	 * What one party is told of the call's state: a declined call is {@code REJECTED} for the caller
	 * but simply over ({@code COMPLETED}) for the callee who declined it.
	 */
	CallState stateSeenBy(Role role) {
		return (this.state == CallState.REJECTED && role == Role.CALLEE) ? CallState.COMPLETED : this.state;
	}

	Role roleOf(Client client) {
		if (client == this.caller) {
			return Role.CALLER;
		}
		if (client == this.callee) {
			return Role.CALLEE;
		}
		throw new IllegalArgumentException(client + " is not a party of this call");
	}

	Client party(Role role) {
		return (role == Role.CALLER) ? this.caller : this.callee;
	}

	Client otherParty(Client client) {
		return party(roleOf(client) == Role.CALLER ? Role.CALLEE : Role.CALLER);
	}

	String legId(Role role) {
		return (role == Role.CALLER) ? this.callerLegId : this.calleeLegId;
	}

	String legIdOf(Client client) {
		return legId(roleOf(client));
	}

	Client caller() {
		return this.caller;
	}

	Client callee() {
		return this.callee;
	}


	CallState state() {
		return this.state;
	}

	long startedNanos() {
		return this.startedNanos;
	}

	List<CallState> history() {
		return List.copyOf(this.history);
	}

	@Override
	public String toString() {
		return "Call[" + this.callerLegId + " " + this.caller.number() + "->" + this.callee.number() + " " + this.state
				+ "]";
	}

}
