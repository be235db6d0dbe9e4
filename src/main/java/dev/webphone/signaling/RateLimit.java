package dev.webphone.signaling;

/**
 * A token bucket: bursts up to {@code capacity} messages, then {@code perSecond} on average. Used by
 * one connection's receiving thread only, so it needs no synchronisation.
 */
final class RateLimit {

	private final double capacity;

	private final double perNano;

	private double tokens;

	private long refilledAt;

	RateLimit(int capacity, int perSecond) {
		this.capacity = capacity;
		this.perNano = perSecond / 1e9;
		this.tokens = capacity;
		this.refilledAt = System.nanoTime();
	}

	boolean tryAcquire() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perNano);
		this.refilledAt = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}

}
