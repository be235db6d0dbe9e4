package dev.webphone.line;

/**
 * The state of a call as a party sees it; the same names as the client's {@code CallState}. Which
 * state follows which is the {@link CallTransition} table's to say.
 */
public enum CallState {

	/** Dialled and alerting the callee. Becomes {@link #IN_CALL}, or ends in one of the final states. */
	RINGING(false),

	/** Answered; media flows between the two browsers. Ends as {@link #COMPLETED}. */
	IN_CALL(false),

	/** Ended normally: either party hung up or went away. Final. */
	COMPLETED(true),

	/** The callee declined while it was ringing; the caller sees this, the callee {@link #COMPLETED}. Final. */
	REJECTED(true),

	/** The callee was already in a call; no call was set up. Final. */
	BUSY(true),

	/** No client with the dialled number is on the line; no call was set up. Final. */
	NOT_FOUND(true),

	/** Nobody answered within the line's ring time-out. Final. */
	NOT_ANSWERED(true);

	private final boolean isFinal;

	CallState(boolean isFinal) {
		this.isFinal = isFinal;
	}

	/**
	 * Whether the call is over in this state. Observers ask this rather than list the live states,
	 * so that a state added later (a held call, say) is not taken for an end.
	 * @return {@code true} when nothing follows this state
	 */
	public boolean isFinal() {
		return this.isFinal;
	}

}
