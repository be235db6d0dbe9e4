package dev.webphone.line;

import java.util.Objects;

/**
 * What one party of a connected call says to the other besides media: the line passes it on, in
 * order with everything else the receiver hears, and reads nothing in it. The transport checks and
 * words it; see {@link Switchboard#tellParty}.
 */
public sealed interface PartyMessage permits PartyMessage.Text, PartyMessage.Dtmf {

	/** A chat message. */
	record Text(String text) implements PartyMessage {

		public Text {
			Objects.requireNonNull(text, "text");
		}

	}

	/**
	 * Keypad digits pressed during the call ({@code 0-9}, {@code *}, {@code #}, {@code A-D}), for
	 * pages that act on them; the tones themselves travel with the audio.
	 */
	record Dtmf(String digits) implements PartyMessage {

		public Dtmf {
			Objects.requireNonNull(digits, "digits");
		}

	}

}
