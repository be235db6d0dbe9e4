package dev.webphone.ice;

import java.util.Locale;

/**
 * Which ICE candidates browsers may use, as in {@code RTCConfiguration.iceTransportPolicy}.
 */
public enum IceTransportPolicy {

	/** Any path: direct between the browsers when one exists, through TURN when not. */
	ALL,

	/**
	 * Only TURN relays: audio always goes through a TURN server. Hides the browsers' addresses from
	 * each other and makes a relay problem show at once instead of only on difficult networks.
	 */
	RELAY;

	/** The value browsers expect: {@code all} or {@code relay}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
