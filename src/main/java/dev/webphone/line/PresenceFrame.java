package dev.webphone.line;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.webphone.line.ClientChannel.Presence;

/**
 * One presence message, the same for every client it goes to: a batch of changes, or the clients
 * online when a client joins. The transport encodes it once, with the first client it sends it to,
 * and every other client gets the same bytes.
 *
 * @see ClientChannel#presence(PresenceFrame)
 */
public final class PresenceFrame {

	private final Mode mode;

	private final List<Announcement> announcements;

	private final Shared encoded = new Shared();

	PresenceFrame(Mode mode, List<Announcement> announcements) {
		this.mode = mode;
		this.announcements = List.copyOf(announcements);
	}

	/**
	 * What this frame tells the client about how it hears of the others from now on; {@code null} for a
	 * batch of changes that changes nothing about that.
	 */
	public Mode mode() {
		return this.mode;
	}

	/** The changes, or the whole roster, in the order they happened. */
	public List<Announcement> announcements() {
		return this.announcements;
	}

	/** This frame in the transport's form; {@code encoder} runs once per frame. */
	public <T> T encoded(Function<PresenceFrame, T> encoder) {
		return this.encoded.get(this, encoder);
	}

	/** How a client hears of the others. */
	public enum Mode {

		/** It is told of every client of the line; the frame lists every client online. */
		FULL,

		/**
		 * The line is too big to tell everyone of everyone: the client is told only of the numbers it
		 * watches. What it was told before may be out of date.
		 */
		WATCHED

	}

	/**
	 * That a client came or went, with what it shows the others; shared by every frame it appears in
	 * and encoded once.
	 */
	public static final class Announcement {

		private final String phoneNumber;

		private final Presence status;

		private final Map<String, Object> properties;

		private final Shared encoded = new Shared();

		Announcement(String phoneNumber, Presence status, Map<String, Object> properties) {
			this.phoneNumber = phoneNumber;
			this.status = status;
			this.properties = properties;
		}

		public String phoneNumber() {
			return this.phoneNumber;
		}

		public Presence status() {
			return this.status;
		}

		public Map<String, Object> properties() {
			return this.properties;
		}

		/** This announcement in the transport's form; {@code encoder} runs once per announcement. */
		public <T> T encoded(Function<Announcement, T> encoder) {
			return this.encoded.get(this, encoder);
		}

	}

	/** A value computed once, by whichever thread asks first. */
	private static final class Shared {

		private volatile Object value;

		@SuppressWarnings("unchecked")
		synchronized <S, T> T get(S source, Function<S, T> compute) {
			Object current = this.value;
			if (current == null) {
				current = compute.apply(source);
				this.value = current;
			}
			return (T) current;
		}

	}

}
