package dev.webphone.line;

/**
 * The state of a call as a party sees it; the same names as the client's {@code CallState}.
 */
public enum CallState {

	/** Dialled and alerting the callee. Becomes {@link #IN_CALL}, or ends in one of the final states. */
	RINGING,

	/** Answered; media flows between the two browsers. Ends as {@link #COMPLETED}. */
	IN_CALL,

	/** Ended normally: either party hung up or went away. Final. */
	COMPLETED,

	/** The callee declined while it was ringing; the caller sees this, the callee {@link #COMPLETED}. Final. */
	REJECTED,

	/** The callee was already in a call; no call was set up. Final. */
	BUSY,

	/** No client with the dialled number is on the line; no call was set up. Final. */
	NOT_FOUND,

	/** Nobody answered within the line's ring time-out. Final. */
	NOT_ANSWERED;

	/**
	 * Whether the call is over in this state.
	 * @return {@code true} for every state but {@link #RINGING} and {@link #IN_CALL}
	 */
	public boolean isFinal() {
		return this != RINGING && this != IN_CALL;
	}

}
