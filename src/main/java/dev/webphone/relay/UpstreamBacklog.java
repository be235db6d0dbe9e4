package dev.webphone.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that browsers have sent and the upstream has not yet taken, across every relayed
 * connection, held under one limit. Each browser is limited on its own too, but an upstream that
 * accepts connections and then never reads lets every browser fill its own allowance at once: without
 * a total, the relay's heap is the only bound.
 */
final class UpstreamBacklog {

	private final long limit;

	private final AtomicLong queued = new AtomicLong();

	UpstreamBacklog(long limit) {
		this.limit = limit;
	}

	/**
	 * Takes {@code bytes} from what is left, all or nothing.
	 * @return {@code false}, taking nothing, when they would exceed the limit
	 */
	boolean reserve(long bytes) {
		// Compare and set, not add and take back: the total is never seen above the limit, even briefly.
		long before;
		do {
			before = this.queued.get();
			if (before + bytes > this.limit) {
				return false;
			}
		}
		while (!this.queued.compareAndSet(before, before + bytes));
		return true;
	}

	/** Gives back what the upstream took, or what was dropped. */
	void release(long bytes) {
		this.queued.addAndGet(-bytes);
	}

	/** Bytes waiting for the upstream now, across all browsers. */
	long queued() {
		return this.queued.get();
	}

	long limit() {
		return this.limit;
	}

}
