package dev.webphone.signaling;

import dev.webphone.line.MediaSignal;

/**
 * What a gateway party needs of the browsers' WebRTC negotiation, which the line relays without
 * reading: the session description or ICE candidate a {@link MediaSignal} carries, and a session
 * description of the gateway's own to send a browser. Kept here so that the wire's records stay the
 * wire's.
 */
public final class MediaSignals {

	private MediaSignals() {
	}

	/** A session description: {@code type} is {@code offer}, {@code answer}, {@code pranswer} or {@code rollback}. */
	public record SessionDescription(String type, String sdp) {

	}

	/** An ICE candidate; an empty {@code candidate} marks the end of candidates. */
	public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {

	}

	/** The session description {@code signal} carries, or {@code null} when it carries a candidate. */
	public static SessionDescription description(MediaSignal signal) {
		if (signal instanceof Negotiation.Sdp sdp) {
			return new SessionDescription(sdp.description().type(), sdp.description().sdp());
		}
		return null;
	}

	/**
	 * The ICE candidate {@code signal} carries, one with an empty {@code candidate} for the end of
	 * candidates, or {@code null} when it carries a session description.
	 */
	public static IceCandidate candidate(MediaSignal signal) {
		if (signal instanceof Negotiation.Ice ice) {
			Negotiation.Candidate candidate = ice.candidate();
			return (candidate != null)
					? new IceCandidate(candidate.candidate(), candidate.sdpMid(), candidate.sdpMLineIndex())
					: new IceCandidate("", null, null);
		}
		return null;
	}

	/**
	 * A session description for a browser, as if the other party's browser had sent it.
	 * @throws IllegalArgumentException when it is not one the wire allows (an unknown type, too long)
	 */
	public static MediaSignal description(String callId, String type, String sdp) {
		return new Negotiation.Sdp(callId, new Negotiation.Description(type, sdp));
	}

}
