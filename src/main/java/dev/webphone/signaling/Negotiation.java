package dev.webphone.signaling;

import dev.webphone.line.MediaSignal;

/**
 * WebRTC negotiation that the line relays between the two parties of a call: the same message
 * travels from one browser to the server and on to the other, under the receiver's own call id.
 */
sealed interface Negotiation extends ClientMessage, ServerMessage, MediaSignal {

	String callId();

	/** This message as the other party receives it, under its own id of the call. */
	Negotiation forCall(String callId);

	/** A session description ({@code RTCSessionDescriptionInit}). */
	record Sdp(String callId, Description description) implements Negotiation {

		public Sdp {
			callId = Fields.callId(callId);
			if (description == null) {
				throw new IllegalArgumentException("description is required");
			}
		}

		@Override
		public Sdp forCall(String callId) {
			return new Sdp(callId, this.description);
		}

	}

	/** An ICE candidate ({@code RTCIceCandidateInit}); {@code null} marks the end of candidates. */
	record Ice(String callId, Candidate candidate) implements Negotiation {

		public Ice {
			callId = Fields.callId(callId);
		}

		@Override
		public Ice forCall(String callId) {
			return new Ice(callId, this.candidate);
		}

	}

	/** The fields of an {@code RTCSessionDescriptionInit}. */
	record Description(String type, String sdp) {

		public Description {
			if (!("offer".equals(type) || "answer".equals(type) || "pranswer".equals(type)
					|| "rollback".equals(type))) {
				throw new IllegalArgumentException("description.type must be offer, answer, pranswer or rollback");
			}
			sdp = Fields.text("description.sdp", (sdp != null) ? sdp : "", 60_000, true);
		}

	}

	/** The fields of an {@code RTCIceCandidateInit}. */
	record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

		public Candidate {
			candidate = Fields.text("candidate.candidate", (candidate != null) ? candidate : "", 1024, true);
			sdpMid = (sdpMid != null) ? Fields.text("candidate.sdpMid", sdpMid, 64, true) : null;
			usernameFragment = (usernameFragment != null)
					? Fields.text("candidate.usernameFragment", usernameFragment, 256, true) : null;
			if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 1024)) {
				throw new IllegalArgumentException("candidate.sdpMLineIndex is out of range");
			}
		}

	}

}
