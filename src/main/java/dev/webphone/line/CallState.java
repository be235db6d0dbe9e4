package dev.webphone.line;

/**
 * The state of a call as a party sees it; the same names as the client's {@code CallState}. Which
 * state follows which is the {@link CallTransition} table's to say.
 */
public enum CallState {

	/** Dialled and alerting the callee. Becomes {@link #IN_CALL}, or ends in one of the final states. */
	RINGING(false, false),

	/**
	 * Answered; media flows between the two browsers. Becomes {@link #HOLD} when either party holds it,
	 * or ends as {@link #COMPLETED}.
	 */
	IN_CALL(false, true),

	/**
	 * Held by either party: both browsers stop sending media, but the call and its media session stay
	 * up (renegotiation goes on), and the parties may still exchange messages and DTMF. Becomes
	 * {@link #IN_CALL} again when either party takes it off hold, or ends as {@link #COMPLETED}. Live,
	 * not final.
	 */
	HOLD(false, true),

	/** Ended normally: either party hung up or went away. Final. */
	COMPLETED(true, false),

	/** The callee declined while it was ringing; the caller sees this, the callee {@link #COMPLETED}. Final. */
	REJECTED(true, false),

	/** The callee was already in a call; no call was set up. Final. */
	BUSY(true, false),

	/** No client with the dialled number is on the line; no call was set up. Final. */
	NOT_FOUND(true, false),

	/** Nobody answered within the line's ring time-out. Final. */
	NOT_ANSWERED(true, false);

	private final boolean isFinal;

	private final boolean isConnected;

	CallState(boolean isFinal, boolean isConnected) {
		this.isFinal = isFinal;
		this.isConnected = isConnected;
	}

	/**
	 * Whether the call is over in this state. Observers ask this rather than list the live states,
	 * so that a state added later (a held call, say) is not taken for an end.
	 * @return {@code true} when nothing follows this state
	 */
	public boolean isFinal() {
		return this.isFinal;
	}

	/**
	 * Whether the call has been answered and is not over: the browsers have a media session, which
	 * they may renegotiate, and the parties may send each other messages.
	 * @return {@code true} for {@link #IN_CALL} and {@link #HOLD}
	 */
	public boolean isConnected() {
		return this.isConnected;
	}

}
