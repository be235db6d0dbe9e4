package dev.webphone.access;

import java.time.Duration;

/**
 * How many calls one connection may start: a burst of {@code perMinute}, then one every
 * {@code 60 s / perMinute}. Used by one connection's receiving thread only, so it needs no lock.
 */
public final class CallAttemptLimit {

	private static final long MINUTE = Duration.ofMinutes(1).toNanos();

	private final int perMinute;

	private double attempts;

	private long refilledAt;

	/**
	 * @param perMinute the attempts allowed per minute; 0 for no limit
	 */
	public CallAttemptLimit(int perMinute) {
		this.perMinute = perMinute;
		this.attempts = perMinute;
		this.refilledAt = System.nanoTime();
	}

	/**
	 * Counts a call attempt.
	 * @return whether it is allowed
	 */
	public boolean tryAcquire() {
		if (this.perMinute <= 0) {
			return true;
		}
		long now = System.nanoTime();
		this.attempts = Math.min(this.perMinute, this.attempts + (double) (now - this.refilledAt) * this.perMinute / MINUTE);
		this.refilledAt = now;
		if (this.attempts < 1) {
			return false;
		}
		this.attempts -= 1;
		return true;
	}

	/** What the refused client is told. */
	public String refusal() {
		return "Too many calls: at most " + this.perMinute + " call attempts a minute; calls in progress go on";
	}

}
