package dev.webphone.line;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Ends calls that ring longer than their line's ring timeout.
 *
 * <p>Ringing calls wait in a concurrent set that one thread sweeps every tick; a dial adds its call
 * and the answer (or any other end of ringing) removes it, each touching only the set's bin for that
 * call. A timer per call on a {@code ScheduledThreadPoolExecutor} would take that executor's single
 * queue lock on every dial and every answer, while both parties' monitors are held, so that all call
 * set-ups of the server queue behind one another. A call therefore times out up to one tick late.
 */
final class RingTimers {

	private static final Log logger = LogFactory.getLog(RingTimers.class);

	private final Set<Call> ringing = ConcurrentHashMap.newKeySet();

	private final Consumer<Call> timedOut;

	private final ScheduledExecutorService sweeper;

	/**
	 * @param tick how often to look for calls that have rung too long
	 * @param timedOut what to do with such a call; runs on the sweeping thread
	 */
	RingTimers(Duration tick, Consumer<Call> timedOut) {
		this.timedOut = timedOut;
		this.sweeper = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("ring-timer-"));
		long millis = Math.max(1, tick.toMillis());
		this.sweeper.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * The tick for lines with these ring timeouts: a tenth of the shortest, between 10 ms and 1 s.
	 */
	static Duration tickFor(Iterable<Duration> ringTimeouts) {
		Duration tick = Duration.ofSeconds(1);
		for (Duration timeout : ringTimeouts) {
			Duration tenth = timeout.dividedBy(10);
			if (tenth.compareTo(tick) < 0) {
				tick = tenth;
			}
		}
		return (tick.toMillis() < 10) ? Duration.ofMillis(10) : tick;
	}

	/** The call has started ringing. */
	void start(Call call) {
		this.ringing.add(call);
	}

	/** The call no longer rings: answered, declined, hung up, or its caller or callee left. */
	void stop(Call call) {
		this.ringing.remove(call);
	}

	/** How many calls are ringing. */
	int ringingCount() {
		return this.ringing.size();
	}

	/** Hands each call that has rung past its line's timeout to the time-out action, once. */
	void sweep() {
		long now = System.nanoTime();
		for (Call call : this.ringing) {
			long timeout = call.caller().line().spec().ringTimeout().toNanos();
			if (now - call.startedNanos() >= timeout && this.ringing.remove(call)) {
				try {
					this.timedOut.accept(call);
				}
				catch (RuntimeException ex) {
					logger.error("Could not end a call that rang too long", ex);
				}
			}
		}
	}

	void shutdown() {
		this.sweeper.shutdownNow();
	}

}
