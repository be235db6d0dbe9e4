package dev.webphone.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that browsers have sent while their upstream connections are still opening, across every
 * relayed connection, held under one limit. Each browser may queue only so many frames on its own, but
 * a phone system that accepts connections and never answers lets every browser fill its allowance at
 * once: without a total, the relay's heap is the only bound. (Once a connection is open, the edge
 * counts what it has not taken, against its own limit and the server-wide budget.)
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

	/** Gives back what was sent on or dropped. */
	void release(long bytes) {
		this.queued.addAndGet(-bytes);
	}

	/** Bytes waiting for upstream connections to open now, across all browsers. */
	long queued() {
		return this.queued.get();
	}

	long limit() {
		return this.limit;
	}

}
