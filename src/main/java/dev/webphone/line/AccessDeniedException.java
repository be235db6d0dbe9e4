package dev.webphone.line;

/**
 * A client may not join the line it asked for.
 */
public class AccessDeniedException extends RuntimeException {

	public AccessDeniedException(String reason) {
		super(reason, null, false, false);
	}

}
