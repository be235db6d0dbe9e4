package dev.webphone.signaling;

import java.util.regex.Pattern;

import dev.webphone.line.PartyMessage;

/**
 * What one party of a connected call says to the other besides media: a chat message or DTMF digits.
 * The same message travels from one browser to the server and on to the other, under the receiver's
 * own call id; the line carries it as a {@link PartyMessage}.
 */
sealed interface CallMessage extends ClientMessage, ServerMessage {

	/** The longest chat message, in UTF-16 code units as a page's {@code String.length} counts them. */
	int MAX_TEXT_LENGTH = 2000;

	String callId();

	/** What the line passes on. */
	PartyMessage toParty();

	/** The message as {@code callId}'s owner receives it. */
	static CallMessage of(String callId, PartyMessage message) {
		if (message instanceof PartyMessage.Text text) {
			return new Text(callId, text.text());
		}
		return new Dtmf(callId, ((PartyMessage.Dtmf) message).digits());
	}

	/** A chat message of 1 to {@value #MAX_TEXT_LENGTH} characters ({@code type} {@code message}). */
	record Text(String callId, String text) implements CallMessage {

		public Text {
			callId = Fields.callId(callId);
			text = Fields.text("text", text, MAX_TEXT_LENGTH, false);
		}

		@Override
		public PartyMessage toParty() {
			return new PartyMessage.Text(this.text);
		}

	}

	/** Keypad digits: 1 to 32 of {@code 0-9}, {@code *}, {@code #} and {@code A-D}. */
	record Dtmf(String callId, String digits) implements CallMessage {

		private static final Pattern DIGITS = Pattern.compile("[0-9*#A-D]{1,32}");

		public Dtmf {
			callId = Fields.callId(callId);
			if (digits == null || !DIGITS.matcher(digits).matches()) {
				throw new IllegalArgumentException("digits must be 1 to 32 of 0-9, *, # and A-D");
			}
		}

		@Override
		public PartyMessage toParty() {
			return new PartyMessage.Dtmf(this.digits);
		}

	}

}
