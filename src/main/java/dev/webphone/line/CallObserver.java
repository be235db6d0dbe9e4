package dev.webphone.line;

import java.time.Duration;

/**
 * Told of what happens on the lines, for metrics and logs. Called on the signalling threads: an
 * implementation must be quick and must not block.
 */
public interface CallObserver {

	/** A client joined {@code line}. */
	default void clientJoined(String line) {
	}

	/** A client left {@code line}. */
	default void clientLeft(String line) {
	}

	/**
	 * A call changed state, or a dial ended at once as {@code BUSY} or {@code NOT_FOUND}
	 * ({@code from} is then {@code null}).
	 * @param sinceDial the time since the call was dialled
	 */
	default void callStateChanged(String line, CallState from, CallState to, Duration sinceDial) {
	}

	/** A session description or ICE candidate was relayed on {@code line}. */
	default void signalRelayed(String line) {
	}

}
