package dev.webphone.signaling;

import java.util.List;
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
		@JsonSubTypes.Type(value = ClientMessage.Forward.class, name = "forward"),
		@JsonSubTypes.Type(value = ClientMessage.Transfer.class, name = "transfer"),
		@JsonSubTypes.Type(value = ClientMessage.Watch.class, name = "watch"),
		@JsonSubTypes.Type(value = ClientMessage.Hold.class, name = "hold"),
		@JsonSubTypes.Type(value = ClientMessage.Unhold.class, name = "unhold"),
		@JsonSubTypes.Type(value = CallMessage.Text.class, name = "message"),
		@JsonSubTypes.Type(value = CallMessage.Dtmf.class, name = "dtmf"),
		@JsonSubTypes.Type(value = Negotiation.Sdp.class, name = "sdp"),
		@JsonSubTypes.Type(value = Negotiation.Ice.class, name = "ice") })
sealed interface ClientMessage permits ClientMessage.Connect, ClientMessage.Resume, ClientMessage.Dial,
		ClientMessage.Accept, ClientMessage.Reject, ClientMessage.HangUp, ClientMessage.Forward, ClientMessage.Transfer,
		ClientMessage.Watch, ClientMessage.Hold, ClientMessage.Unhold, Negotiation, CallMessage {

	/**
	 * Join a line, showing {@code properties} to its other clients; as the extension {@code extension}
	 * when it is given, proven by {@code password}.
	 */
	record Connect(String line, Map<String, Object> properties, String extension, String password)
			implements ClientMessage {

		public Connect {
			// A line name or a token: identity providers' JWTs run to a few kilobytes.
			line = Fields.text("line", line, 8192, false);
			properties = Fields.properties(properties);
			if (extension != null) {
				extension = Fields.number("extension", extension);
				password = Fields.text("password", password, 256, true);
			}
			else if (password != null) {
				throw new IllegalArgumentException("password is only for an extension: give extension too");
			}
		}

		Connect(String line, Map<String, Object> properties) {
			this(line, properties, null, null);
		}

		/** Leaves the password out: messages may be logged. */
		@Override
		public String toString() {
			return "Connect[line=" + this.line + ", properties=" + this.properties + ", extension=" + this.extension + "]";
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

	/** Put a connected call on hold. */
	record Hold(String callId) implements ClientMessage {

		public Hold {
			callId = Fields.callId(callId);
		}

	}

	/** Take a held call off hold, whichever party held it. */
	record Unhold(String callId) implements ClientMessage {

		public Unhold {
			callId = Fields.callId(callId);
		}

	}

	/**
	 * Send a ringing incoming call on to {@code to} (routed by the line's dial plan, as a dial is; empty:
	 * the default route): the caller rings there instead.
	 */
	record Forward(String callId, String to) implements ClientMessage {

		public Forward {
			callId = Fields.callId(callId);
			to = Fields.text("to", to, 64, true);
		}

	}

	/**
	 * Send the other party of a connected call on to {@code to} (routed by the line's dial plan, as a
	 * dial is; empty: the default route), a blind transfer: the other party rings there, and this
	 * client leaves the call.
	 */
	record Transfer(String callId, String to) implements ClientMessage {

		public Transfer {
			callId = Fields.callId(callId);
			to = Fields.text("to", to, 64, true);
		}

	}

	/**
	 * Be told of these numbers coming and going, also when the line is too big to tell everyone of
	 * everyone; replaces the numbers watched before.
	 */
	record Watch(List<String> numbers) implements ClientMessage {

		static final int MAX_NUMBERS = 100;

		public Watch {
			if (numbers == null) {
				throw new IllegalArgumentException("numbers is required");
			}
			if (numbers.size() > MAX_NUMBERS) {
				throw new IllegalArgumentException("numbers may list at most " + MAX_NUMBERS + " numbers");
			}
			numbers.forEach((number) -> Fields.text("a number", number, 64, false));
			numbers = List.copyOf(numbers);
		}

	}

}
