package dev.webphone.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --pairs} pairs of browsers on {@code --line}; each caller dials its callee, which accepts
 * as soon as the call comes in; once both sides are {@code IN_CALL} the caller hangs up, and when
 * both have seen {@code COMPLETED} the next call starts. Runs for {@code --warmup} (not counted) and
 * then {@code --duration}. Set-up latency is from sending {@code dial} to the caller's
 * {@code IN_CALL}.
 *
 * <p>Each pair dials at most {@code --calls-per-pair} times a second (default 20): the server allows a
 * browser 50 messages a second, and a caller sends two per call. Offered load therefore grows with
 * {@code --pairs}; the server's capacity shows where set-ups per second stop following it.
 */
final class CallThroughput {

	private CallThroughput() {
	}

	static int run(URI uri, Options options) throws Exception {
		int pairs = options.number("pairs", 200);
		String line = options.text("line", "Bench");
		Duration warmup = options.duration("warmup", "5s");
		Duration duration = options.duration("duration", "30s");
		Duration stuckAfter = options.duration("stuck-after", "10s");
		long minGap = (long) (1e9 / options.number("calls-per-pair", 20));
		ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
		// With --callee-url the callees connect to another instance of a cluster than the callers.
		String calleeUrl = options.text("callee-url", "");
		URI calleeUri = calleeUrl.isEmpty() ? uri : URI.create(calleeUrl);
		try (Fleet fleet = new Fleet(uri, line, options.number("in-flight", 200), options.number("threads", 4));
				Fleet callees = new Fleet(calleeUri, line, options.number("in-flight", 200), options.number("threads", 4))) {
			Duration deadline = options.duration("connect-deadline", "120s");
			Duration took = fleet.open(pairs, deadline).plus(callees.open(pairs, deadline));
			int granted = fleet.granted() + callees.granted();
			System.out.printf("all-connected granted=%d of %d seconds=%.1f callers=%s callees=%s%n", granted, pairs * 2,
					took.toMillis() / 1000.0, uri, calleeUri);
			if (granted < pairs * 2) {
				System.out.println("RESULT error=not-all-connected granted=" + granted);
				return 1;
			}
			Stats stats = new Stats();
			long start = System.nanoTime();
			long measureFrom = start + warmup.toNanos();
			long stopAt = measureFrom + duration.toNanos();
			List<Pair> all = new ArrayList<>();
			for (int i = 0; i < pairs; i++) {
				all.add(new Pair(i, fleet.browsers().get(i), callees.browsers().get(i), stats, measureFrom, stopAt, minGap,
						pacer));
			}
			all.forEach(Pair::next);
			long hardStop = stopAt + stuckAfter.toNanos();
			long lastCount = 0;
			while (System.nanoTime() < hardStop) {
				Thread.sleep(1_000);
				long count = stats.setUps.get();
				System.out.printf("t=%.0fs set-ups in window=%d (+%d) errors=%d%n", (System.nanoTime() - start) / 1e9,
						count, count - lastCount, stats.errors.get());
				lastCount = count;
				if (System.nanoTime() > stopAt && all.stream().allMatch(Pair::finished)) {
					break;
				}
			}
			pacer.shutdownNow();
			long stuck = all.stream().filter((pair) -> !pair.finished()).count();
			long[] latencies = all.stream().flatMapToLong(Pair::latencies).toArray();
			Arrays.sort(latencies);
			double seconds = duration.toNanos() / 1e9;
			System.out.printf(
					"RESULT pairs=%d window_seconds=%.0f set_ups=%d set_ups_per_second=%.0f completed=%d "
							+ "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d unexpected=%d stuck_pairs=%d%n",
					pairs, seconds, latencies.length, latencies.length / seconds, stats.completed.get(),
					percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
					(latencies.length > 0) ? latencies[latencies.length - 1] / 1e6 : 0, stats.errors.get(),
					stats.unexpected.get(), stuck);
			return (stats.errors.get() == 0 && stuck == 0) ? 0 : 1;
		}
	}

	private static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	/** Counters shared by all pairs. */
	static final class Stats {

		final AtomicLong setUps = new AtomicLong();

		final AtomicLong completed = new AtomicLong();

		final AtomicInteger errors = new AtomicInteger();

		final AtomicInteger unexpected = new AtomicInteger();

		void note(AtomicInteger counter, String what) {
			if (counter.incrementAndGet() <= 10) {
				System.out.println(what);
			}
		}

	}

	/**
	 * One caller and one callee and the call between them. Each side's messages arrive on its own
	 * connection's thread, so the pair's state is guarded by its monitor.
	 */
	static final class Pair {

		private final int index;

		private final Browser caller;

		private final Browser callee;

		private final Stats stats;

		private final long measureFrom;

		private final long stopAt;

		private final long minGap;

		private final ScheduledExecutorService pacer;

		private long[] latencies = new long[1024];

		private int latencyCount;

		private int seq;

		private String callId;

		private long dialledAt;

		private boolean callerInCall;

		private boolean calleeInCall;

		private boolean callerDone;

		private boolean calleeDone;

		private volatile boolean finished;

		Pair(int index, Browser caller, Browser callee, Stats stats, long measureFrom, long stopAt, long minGap,
				ScheduledExecutorService pacer) {
			this.minGap = minGap;
			this.pacer = pacer;
			this.index = index;
			this.caller = caller;
			this.callee = callee;
			this.stats = stats;
			this.measureFrom = measureFrom;
			this.stopAt = stopAt;
			caller.onMessage((browser, message) -> callerHeard(message));
			callee.onMessage((browser, message) -> calleeHeard(message));
		}

		synchronized void next() {
			long now = System.nanoTime();
			if (now >= this.stopAt) {
				this.finished = true;
				return;
			}
			long due = this.dialledAt + this.minGap;
			if (this.seq > 0 && now < due) {
				this.pacer.schedule(this::dial, due - now, TimeUnit.NANOSECONDS);
			}
			else {
				dial();
			}
		}

		private synchronized void dial() {
			if (System.nanoTime() >= this.stopAt) {
				this.finished = true;
				return;
			}
			this.seq++;
			this.callId = "p" + this.index + "c" + this.seq;
			this.callerInCall = false;
			this.calleeInCall = false;
			this.callerDone = false;
			this.calleeDone = false;
			this.dialledAt = System.nanoTime();
			this.caller.send(Wire.dial(this.callId, this.callee.phoneNumber()));
		}

		private synchronized void callerHeard(String message) {
			String type = Wire.field(message, "type");
			if ("call-state".equals(type)) {
				String state = Wire.field(message, "state");
				if ("RINGING".equals(state)) {
					return;
				}
				if ("IN_CALL".equals(state)) {
					long now = System.nanoTime();
					if (this.dialledAt >= this.measureFrom && now < this.stopAt) {
						record(now - this.dialledAt);
					}
					this.callerInCall = true;
					hangUpWhenBothInCall();
					return;
				}
				if ("COMPLETED".equals(state)) {
					this.callerDone = true;
					nextWhenBothDone();
					return;
				}
			}
			else if ("error".equals(type)) {
				this.stats.note(this.stats.errors, "caller " + this.index + " error: " + message);
				return;
			}
			this.stats.note(this.stats.unexpected, "caller " + this.index + " unexpected: " + message);
		}

		private synchronized void calleeHeard(String message) {
			String type = Wire.field(message, "type");
			if ("incoming".equals(type)) {
				this.callee.send(Wire.accept(Wire.field(message, "callId")));
				return;
			}
			if ("call-state".equals(type)) {
				String state = Wire.field(message, "state");
				if ("IN_CALL".equals(state)) {
					this.calleeInCall = true;
					hangUpWhenBothInCall();
					return;
				}
				if ("COMPLETED".equals(state)) {
					this.calleeDone = true;
					nextWhenBothDone();
					return;
				}
			}
			else if ("error".equals(type)) {
				this.stats.note(this.stats.errors, "callee " + this.index + " error: " + message);
				return;
			}
			this.stats.note(this.stats.unexpected, "callee " + this.index + " unexpected: " + message);
		}

		private void hangUpWhenBothInCall() {
			if (this.callerInCall && this.calleeInCall) {
				this.caller.send(Wire.hangUp(this.callId));
			}
		}

		private void nextWhenBothDone() {
			if (this.callerDone && this.calleeDone) {
				if (this.dialledAt >= this.measureFrom && this.dialledAt < this.stopAt) {
					this.stats.completed.incrementAndGet();
				}
				next();
			}
		}

		private void record(long nanos) {
			if (this.latencyCount == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
			}
			this.latencies[this.latencyCount++] = nanos;
			this.stats.setUps.incrementAndGet();
		}

		boolean finished() {
			return this.finished;
		}

		synchronized java.util.stream.LongStream latencies() {
			return Arrays.stream(this.latencies, 0, this.latencyCount);
		}

	}

}
