package dev.webphone.line;

/**
 * One call between two clients of a line, and the single authority on its state.
 *
 * <p>A call exists from the dial on, refused dials included: {@link #apply} moves it through the
 * {@link CallTransition} table, and what its parties are told of each move comes from the same row.
 *
 * <p>Each party knows the call by its own id (its "leg"): the id the caller chose when dialling, and
 * for the callee the same id, unless the callee dialled the caller at the same moment and the two
 * attempts were merged into this call ({@link #dialBack}).
 *
 * <p>The parties of a call never change. A forward or transfer replaces the call by a {@link #reseated}
 * one between the party that stays and the target; the party that stays knows both by the same id,
 * and both are the {@link #sameConversation same conversation}. So whoever read a client's call before taking
 * the monitors finds, once it holds them, either that call still the client's, or a call that
 * continues it (and may follow it to its parties), or neither.
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

	/** {@code null} when nobody online has the dialled number. */
	private final Client callee;

	private final String dialledNumber;

	private final String callerLegId;

	private String calleeLegId;

	private final CallType type;

	/** The same object for a call and every call that re-seats it: what a party sees as one call. */
	private final Object lineage;

	private final long startedNanos;

	/** {@code null} until the dial has been applied. */
	private CallState state;

	/**
	 * @param callee the client with the dialled number, {@code null} when there is none
	 * @param dialledNumber the number the caller dialled (after the default route)
	 * @param callId the id the caller chose
	 */
	Call(Client caller, Client callee, String dialledNumber, String callId, CallType type) {
		this(caller, callee, dialledNumber, callId, type, new Object(), null);
	}

	/** An audio call, for the tests of the state machine, where the type plays no part. */
	Call(Client caller, Client callee, String dialledNumber, String callId) {
		this(caller, callee, dialledNumber, callId, CallType.AUDIO);
	}

	private Call(Client caller, Client callee, String dialledNumber, String callId, CallType type, Object lineage,
			CallState state) {
		this.caller = caller;
		this.callee = callee;
		this.dialledNumber = dialledNumber;
		this.callerLegId = callId;
		this.calleeLegId = callId;
		this.type = type;
		this.lineage = lineage;
		this.state = state;
		this.startedNanos = System.nanoTime();
	}

	/**
	 * A call another process decided and recorded ({@link JournalledCall}), taken up in the state it
	 * had there: a restore, not a transition, so it goes by no row of the table. It starts a new
	 * lineage: nothing re-seated it here.
	 */
	static Call restored(Client caller, Client callee, JournalledCall recorded) {
		Call call = new Call(caller, callee, recorded.dialled(), recorded.callerLeg(), recorded.type(), new Object(),
				recorded.state());
		call.calleeLegId = recorded.calleeLeg();
		return call;
	}

	/**
	 * Moves the call to its next state.
	 * @param event what happened
	 * @param by who did it ({@code null} for the ring timer)
	 * @return the move, which says what each party is told
	 * @throws IllegalCallTransitionException when the event is not allowed now
	 */
	CallTransition apply(CallEvent event, Role by) {
		CallTransition transition = CallTransition.of(this.state, event, by);
		this.state = transition.to;
		return transition;
	}

	/**
	 * The callee of this ringing call has just dialled the caller: the call is answered, and from now
	 * on the callee knows it by the id of its own dial.
	 * @param calleeDialId the id the callee chose for its own dial
	 */
	CallTransition dialBack(String calleeDialId) {
		CallTransition transition = apply(CallEvent.DIAL_BACK, Role.CALLEE);
		this.calleeLegId = calleeDialId;
		return transition;
	}

	/**
	 * The call that goes on after {@code transition}, a forward or transfer just applied to this one:
	 * {@code staying}, a party of this call, now calls {@code target} under the id it knew this call by,
	 * and the target knows it by the same id. Its state is the transition's state after; it rings from
	 * now on, so its ring time-out starts now.
	 * @param targetNumber the number the target was reached by, which the staying party is told
	 */
	Call reseated(CallTransition transition, Client staying, Client target, String targetNumber) {
		if (!transition.reseats() || this.state != transition.to) {
			throw new IllegalStateException(transition + " has not just re-seated " + this);
		}
		return new Call(staying, target, targetNumber, legIdOf(staying), this.type, this.lineage, transition.to);
	}

	/**
	 * Whether this call and {@code other} are one conversation for the party that stayed: the same
	 * call, or one re-seated from the other (directly or not).
	 */
	boolean sameConversation(Call other) {
		return this.lineage == other.lineage;
	}

	Role roleOf(Client client) {
		if (client == this.caller) {
			return Role.CALLER;
		}
		if (client == this.callee && client != null) {
			return Role.CALLEE;
		}
		throw new IllegalArgumentException(client + " is not a party of this call");
	}

	/** The party in {@code role}; {@code null} for the callee of a dial to a number nobody has. */
	Client party(Role role) {
		return (role == Role.CALLER) ? this.caller : this.callee;
	}

	Client otherParty(Client client) {
		return party(roleOf(client) == Role.CALLER ? Role.CALLEE : Role.CALLER);
	}

	/** The number of the party other than {@code role}, as {@code role} is told it. */
	String otherNumber(Role role) {
		return (role == Role.CALLER) ? this.dialledNumber : this.caller.number();
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

	CallType type() {
		return this.type;
	}

	/** The state, {@code null} before the dial has been applied. */
	CallState state() {
		return this.state;
	}

	long startedNanos() {
		return this.startedNanos;
	}

	@Override
	public String toString() {
		return "Call[" + this.callerLegId + " " + this.caller.number() + "->" + this.dialledNumber + " " + this.state
				+ "]";
	}

}
