package dev.webphone.line;

/**
 * What can happen to a call. Which of them is legal depends on the call's state and on who does it;
 * see {@link CallTransition}.
 */
enum CallEvent {

	/** The caller dials a client that is online and in no other call. */
	DIAL,

	/** The caller dials a client that is in another call, or its own number. */
	DIAL_BUSY,

	/** The caller dials a number no client online has. */
	DIAL_NOT_FOUND,

	/**
	 * The callee of a ringing call dials its caller (both dialled at once): the call is answered, and
	 * the callee knows it from then on by the id of its own dial.
	 */
	DIAL_BACK,

	/** The callee answers a ringing call. */
	ANSWER,

	/** The callee declines a ringing call. */
	DECLINE,

	/** A party puts a connected call on hold. */
	PUT_ON_HOLD,

	/** A party takes a held call off hold, whoever held it. */
	TAKE_OFF_HOLD,

	/** A party hangs up. By the callee of a ringing call it is a {@link #DECLINE}. */
	HANG_UP,

	/** A party's connection to the line is gone. */
	DISCONNECT,

	/** The line's ring time-out passed while the call was ringing. */
	RING_TIMEOUT,

	/**
	 * The callee of a ringing call sends it on to another number: the caller rings there, and the
	 * callee is done with it.
	 */
	FORWARD,

	/**
	 * A party of a connected call, held or not, sends the other party on to another number (a blind
	 * transfer): the other party rings there, and the party that transferred it is done with the call.
	 */
	TRANSFER,

	/**
	 * The callee, a phone behind a {@link Gateway}, turns the ringing call down as busy (a SIP phone's
	 * {@code 486 Busy Here}). A browser is never busy once it rings: it is {@link #DIAL_BUSY} instead.
	 */
	REFUSE_BUSY,

	/**
	 * The {@link Gateway} finds no such phone, or none it can reach now (a SIP {@code 404} or
	 * {@code 480}), after the call began to ring.
	 */
	REFUSE_NOT_FOUND,

	/** The phone behind a {@link Gateway} was not answered in its own time (a SIP {@code 408}). */
	GIVE_UP,

	/**
	 * The {@link Gateway} cannot set up the ringing call: it is unreachable, or the far end failed in a
	 * way that is neither busy, unknown, declined nor unanswered.
	 */
	FAIL

}
