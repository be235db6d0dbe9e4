package dev.webphone.line;

/**
 * A client's request that the line refuses; the client and every call stay as they were. Told to
 * the client through {@link ClientChannel#refused}, in order with everything else it hears; the
 * transport decides how to put it into words.
 */
public final class Refusal extends RuntimeException {

	/** Why the line refused. */
	public enum Reason {

		/** The client has no call by that id: it never had one, or the call is over. */
		NO_SUCH_CALL,

		/**
		 * The call's state does not allow the request (answering a connected call, negotiating media
		 * before an answer), or the client is in another call already.
		 */
		NOT_NOW,

		/** The client a call was to be forwarded or transferred to is in a call. */
		TARGET_BUSY,

		/** No client online has the number a call was to be forwarded or transferred to. */
		TARGET_NOT_FOUND,

		/**
		 * A call was to be forwarded or transferred to one of its own parties: the client itself or the
		 * other party.
		 */
		INVALID_TARGET

	}

	private final Reason reason;

	private final String callId;

	Refusal(Reason reason, String message, String callId) {
		super(message, null, false, false);
		this.reason = reason;
		this.callId = callId;
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * The call the refused request was about.
	 * @return the client's own id of that call, or {@code null} when naming it would mislead (a dial
	 * that reused the id of the client's live call)
	 */
	public String callId() {
		return this.callId;
	}

}
