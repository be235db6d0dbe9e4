package dev.webphone.line;

import java.util.Map;

/**
 * Where the line writes through what another process needs to take the line over: each client's
 * number and resume right, and each call that is ringing or connected. A port: the line knows
 * nothing of where it goes (a cluster writes it to Redis, see {@code docs/scale-out.md}); a single
 * instance has {@link #NONE}, and then nothing is prepared for it.
 *
 * <p>Called with the line's monitors held: an implementation only takes note, never waits (no I/O,
 * no lock shared with other clients), and keeps the order of the notes about one key.
 */
public interface LineJournal {

	/** Records nothing: a single instance's line lives in its memory alone. */
	LineJournal NONE = new LineJournal() {

		@Override
		public boolean isRecording() {
			return false;
		}

		@Override
		public void session(Session session) {
		}

		@Override
		public void sessionEnded(String line, String number) {
		}

		@Override
		public void call(JournalledCall call) {
		}

		@Override
		public void callEnded(String key) {
		}

	};

	/** Whether notes are taken now; when not, callers need not prepare them. */
	boolean isRecording();

	/** A client holds its number and may resume it with the secret that {@code secretHash} hashes. */
	void session(Session session);

	/** The client with {@code number} has left {@code line}: its number is free. */
	void sessionEnded(String line, String number);

	/** A call rings or is connected, as it stands now. */
	void call(JournalledCall call);

	/** The call {@code key} ({@link JournalledCall#key}) is over, or continues under another key. */
	void callEnded(String key);

	/**
	 * What a client needs to be restored: its line, number, what presence shows of it, and a hash of
	 * its resume secret (never the secret itself).
	 */
	record Session(String line, String number, Map<String, Object> properties, String secretHash) {

		public Session {
			properties = Map.copyOf(properties);
		}

		/** The client's key: unique on the line, as its number is. */
		public String key() {
			return this.line + "/" + this.number;
		}

		/** The client as a session to record, with the hash of its current resume secret. */
		public static Session of(Client client, String secretHash) {
			return new Session(client.lineName(), client.number(), client.properties(), secretHash);
		}

	}

}
