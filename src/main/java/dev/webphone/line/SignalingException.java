package dev.webphone.line;

/**
 * A client's request that the line refuses; the connection and every call stay as they were.
 */
public class SignalingException extends RuntimeException {

	private final ErrorCode code;

	private final String callId;

	public SignalingException(ErrorCode code, String message, String callId) {
		super(message, null, false, false);
		this.code = code;
		this.callId = callId;
	}

	public SignalingException(ErrorCode code, String message) {
		this(code, message, null);
	}

	public ErrorCode code() {
		return this.code;
	}

	/**
	 * The call the refused request was about.
	 * @return the client's own id of that call, or {@code null}
	 */
	public String callId() {
		return this.callId;
	}

}
