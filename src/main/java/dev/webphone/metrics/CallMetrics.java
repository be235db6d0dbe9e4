package dev.webphone.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.webphone.line.CallObserver;
import dev.webphone.line.CallState;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Calls by state, how long they took to connect and how they ended, from the switchboard's events.
 *
 * <p>Every meter is registered up front, so a scrape shows zeros rather than missing series before
 * the first call, and an event costs an array lookup and an atomic add.
 */
@Component
@ConditionalOnEmbeddedLine
class CallMetrics implements CallObserver {

	static final String ACTIVE = "webphone.calls.active";

	static final String SETUP = "webphone.call.setup";

	static final String ENDED = "webphone.calls.ended";

	/** One gauge for each live state, a held call's included. */
	private final Map<CallState, AtomicInteger> live = new EnumMap<>(CallState.class);

	private final Timer setUp;

	private final Map<CallState, Counter> ended = new EnumMap<>(CallState.class);

	CallMetrics(MeterRegistry registry) {
		for (CallState state : CallState.values()) {
			if (!state.isFinal()) {
				AtomicInteger count = new AtomicInteger();
				this.live.put(state, count);
				Gauge.builder(ACTIVE, count, AtomicInteger::get)
					.description("Calls now in this state")
					.tag("state", state.name())
					.register(registry);
			}
		}
		this.setUp = Timer.builder(SETUP)
			.description("Time from dial to IN_CALL of answered calls")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(100))
			.maximumExpectedValue(Duration.ofMinutes(2))
			.register(registry);
		for (CallState state : CallState.values()) {
			if (state.isFinal()) {
				this.ended.put(state, Counter.builder(ENDED)
					.description("Calls ended, by final state (BUSY and NOT_FOUND: dials that never rang)")
					.tag("outcome", state.name())
					.register(registry));
			}
		}
	}

	@Override
	public void callStateChanged(String line, CallState from, CallState to, Duration sinceDial) {
		if (from != null && !from.isFinal()) {
			this.live.get(from).decrementAndGet();
		}
		if (to.isFinal()) {
			this.ended.get(to).increment();
			return;
		}
		this.live.get(to).incrementAndGet();
		// Only the answer sets a call up; a call taken off hold was set up long ago.
		if (from == CallState.RINGING && to == CallState.IN_CALL) {
			this.setUp.record(sinceDial);
		}
	}

}
