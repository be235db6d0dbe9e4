package dev.webphone.edge;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

/**
 * One warning line per interval at most, for events a client can cause at will: a flood of them must
 * not become a flood of log. The line after a quiet spell says how many were not logged.
 */
final class ThrottledLog {

	private final Log log;

	private final long intervalNanos;

	private final AtomicLong nextAt = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	ThrottledLog(Log log, Duration interval) {
		this.log = log;
		this.intervalNanos = interval.toNanos();
	}

	/** Logs {@code message} at WARN unless a line was logged less than the interval ago. */
	void warn(String message) {
		long now = System.nanoTime();
		long next = this.nextAt.get();
		if (now - next < 0 || !this.nextAt.compareAndSet(next, now + this.intervalNanos)) {
			this.suppressed.incrementAndGet();
			return;
		}
		long skipped = this.suppressed.getAndSet(0);
		this.log.warn((skipped > 0) ? message + " (and " + skipped + " more not logged)" : message);
	}

}
