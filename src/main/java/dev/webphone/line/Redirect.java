package dev.webphone.line;

/**
 * How a call came to be re-seated: the two moves that send one party of a call on to a third client.
 * Told to both parties of the call with what each hears of the move (see {@link ClientChannel#redirected}).
 */
public enum Redirect {

	/** The callee sent the ringing call on to another number. */
	FORWARDED,

	/** A party of the connected call sent the other party on to another number (a blind transfer). */
	TRANSFERRED

}
