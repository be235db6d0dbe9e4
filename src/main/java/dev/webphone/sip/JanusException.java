package dev.webphone.sip;

/** Janus refused a request, or could not be reached; the message says which, for the caller's reason. */
public class JanusException extends RuntimeException {

	private final int code;

	JanusException(int code, String message) {
		super(message);
		this.code = code;
	}

	JanusException(String message, Throwable cause) {
		super(message, cause);
		this.code = 0;
	}

	/** Janus's error code ({@code 458}: no such session, say); 0 when Janus did not answer at all. */
	public int code() {
		return this.code;
	}

}
