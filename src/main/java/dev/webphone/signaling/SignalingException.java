package dev.webphone.signaling;

/**
 * A browser's message that signalling refuses with an {@code error}; the connection and every call
 * stay as they were.
 */
class SignalingException extends RuntimeException {

	private final ErrorCode code;

	private final String callId;

	SignalingException(ErrorCode code, String message, String callId) {
		super(message, null, false, false);
		this.code = code;
		this.callId = callId;
	}

	SignalingException(ErrorCode code, String message) {
		this(code, message, null);
	}

	ErrorCode code() {
		return this.code;
	}

	/**
	 * The call the refused request was about.
	 * @return the client's own id of that call, or {@code null}
	 */
	String callId() {
		return this.callId;
	}

}
