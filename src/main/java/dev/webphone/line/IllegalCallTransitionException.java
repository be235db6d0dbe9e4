package dev.webphone.line;

/**
 * An event that the call's current state does not allow.
 */
class IllegalCallTransitionException extends IllegalStateException {

	final CallState state;

	IllegalCallTransitionException(CallState state, CallEvent event, Call.Role by) {
		super(((by != null) ? by : "the line") + " cannot " + event + " a call that is "
				+ ((state != null) ? state : "not dialled yet"));
		this.state = state;
	}

}
