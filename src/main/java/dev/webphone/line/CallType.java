package dev.webphone.line;

/**
 * What media a call carries; the client's {@code CallType}.
 */
public enum CallType {

	/** Voice only, the default. */
	AUDIO,

	/** Voice and video. */
	VIDEO

}
