package dev.webphone.line;

/**
 * What can happen to a call. Which of them is legal depends on the call's state and on who does it;
 * see {@link Call#next(CallState, CallEvent, Call.Role)}.
 */
enum CallEvent {

	/** The callee answers a ringing call. */
	ANSWER,

	/** The callee declines a ringing call. */
	DECLINE,

	/** A party hangs up. By the callee of a ringing call it is a {@link #DECLINE}. */
	HANG_UP,

	/** A party's connection to the line is gone. */
	DISCONNECT,

	/** The line's ring time-out passed while the call was ringing. */
	RING_TIMEOUT

}
