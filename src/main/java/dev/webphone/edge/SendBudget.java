package dev.webphone.edge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all connections together may hold in frames queued and not yet written.
 */
final class SendBudget {

	private final long limit;

	private final AtomicLong held = new AtomicLong();

	SendBudget(long limit) {
		this.limit = limit;
	}

	/**
	 * Counts {@code size} more as held, whether or not it fits.
	 * @return whether the total is still within the budget
	 */
	boolean take(long size) {
		return this.held.addAndGet(size) <= this.limit;
	}

	void release(long size) {
		this.held.addAndGet(-size);
	}

	boolean exceeded() {
		return this.held.get() > this.limit;
	}

	long held() {
		return this.held.get();
	}

	long limit() {
		return this.limit;
	}

}
