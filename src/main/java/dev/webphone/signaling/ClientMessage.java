package dev.webphone.signaling;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.webphone.line.CallType;

/**
 * A message from a browser. Every field is checked as the record is built, so a message that decodes
 * is a valid one; see {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ClientMessage.Connect.class, name = "connect"),
		@JsonSubTypes.Type(value = ClientMessage.Resume.class, name = "resume"),
		@JsonSubTypes.Type(value = ClientMessage.Dial.class, name = "dial"),
		@JsonSubTypes.Type(value = ClientMessage.Accept.class, name = "accept"),
		@JsonSubTypes.Type(value = ClientMessage.Reject.class, name = "reject"),
		@JsonSubTypes.Type(value = ClientMessage.HangUp.class, name = "hangup"),
		@JsonSubTypes.Type(value = Negotiation.Sdp.class, name = "sdp"),
		@JsonSubTypes.Type(value = Negotiation.Ice.class, name = "ice") })
sealed interface ClientMessage permits ClientMessage.Connect, ClientMessage.Resume, ClientMessage.Dial, ClientMessage.Accept,
		ClientMessage.Reject, ClientMessage.HangUp, Negotiation {

	/** Join a line, showing {@code properties} to its other clients. */
	record Connect(String line, Map<String, Object> properties) implements ClientMessage {

		public Connect {
			line = Fields.text("line", line, 128, false);
			properties = Fields.properties(properties);
		}

	}

	/**
	 * Take back the number (and call) of a connection that was lost, proving the right to it with the
	 * secret the server gave that connection.
	 */
	record Resume(String secret) implements ClientMessage {

		public Resume {
			secret = Fields.text("secret", secret, 128, false);
		}

	}

	/** Call {@code to} (empty: the line's default route). */
	record Dial(String callId, String to, CallType callType) implements ClientMessage {

		public Dial {
			callId = Fields.callId(callId);
			to = (to != null) ? Fields.text("to", to, 64, true) : "";
			callType = (callType != null) ? callType : CallType.AUDIO;
		}

	}

	/** Answer a ringing call. */
	record Accept(String callId) implements ClientMessage {

		public Accept {
			callId = Fields.callId(callId);
		}

	}

	/** Decline a ringing call. */
	record Reject(String callId) implements ClientMessage {

		public Reject {
			callId = Fields.callId(callId);
		}

	}

	/** End a call in any state. */
	record HangUp(String callId, String reason) implements ClientMessage {

		public HangUp {
			callId = Fields.callId(callId);
			reason = (reason != null) ? Fields.text("reason", reason, 200, true) : null;
		}

	}

}
