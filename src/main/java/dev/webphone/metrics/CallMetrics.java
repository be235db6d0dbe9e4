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

	private final AtomicInteger ringing = new AtomicInteger();

	private final AtomicInteger inCall = new AtomicInteger();

	private final Timer setUp;

	private final Map<CallState, Counter> ended = new EnumMap<>(CallState.class);

	CallMetrics(MeterRegistry registry) {
		Gauge.builder(ACTIVE, this.ringing, AtomicInteger::get)
			.description("Calls now in this state")
			.tag("state", CallState.RINGING.name())
			.register(registry);
		Gauge.builder(ACTIVE, this.inCall, AtomicInteger::get)
			.description("Calls now in this state")
			.tag("state", CallState.IN_CALL.name())
			.register(registry);
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
		if (from == CallState.RINGING) {
			this.ringing.decrementAndGet();
		}
		else if (from == CallState.IN_CALL) {
			this.inCall.decrementAndGet();
		}
		if (to == CallState.RINGING) {
			this.ringing.incrementAndGet();
		}
		else if (to == CallState.IN_CALL) {
			this.inCall.incrementAndGet();
			this.setUp.record(sinceDial);
		}
		else if (to.isFinal()) {
			this.ended.get(to).increment();
		}
	}

}
