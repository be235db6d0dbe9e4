package dev.webphone.signaling;

/**
 * Why a client's message was refused: the {@code code} of an {@code error} message.
 */
public enum ErrorCode {

	/** Not JSON, no or unknown {@code type}, or fields of the wrong type or size. */
	MALFORMED,

	/** A message other than {@code connect} before joining a line. */
	NOT_CONNECTED,

	/** A second {@code connect} on a connection that has joined a line. */
	ALREADY_CONNECTED,

	/** The call is not this client's, or is over. */
	UNKNOWN_CALL,

	/**
	 * The call is not in a state that allows the request, or the client is already in a call (a dial
	 * with the id of that call is refused without a call id, so that it cannot end the call on the page).
	 */
	INVALID_STATE,

	/** More messages than the per-connection rate allows. */
	RATE_LIMITED,

	/** The client a call was to be forwarded or transferred to is in another call; the call stays as it was. */
	BUSY,

	/**
	 * No client online has the number a call was to be forwarded or transferred to (or the dial plan
	 * sends it nowhere); the call stays as it was.
	 */
	NOT_FOUND,

	/**
	 * A call was to be forwarded or transferred to one of its own parties (the client itself or the
	 * other party); the call stays as it was.
	 */
	INVALID_TARGET

}
