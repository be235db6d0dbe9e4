package dev.webphone.line;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ring timeouts, swept by hand so that no test depends on the sweeping thread's timing.
 */
class RingTimersTests {

	private final List<Call> timedOut = new CopyOnWriteArrayList<>();

	/** Ticks once an hour: only the tests' own {@code sweep()} calls look at the calls. */
	private final RingTimers timers = new RingTimers(Duration.ofHours(1), this.timedOut::add);

	@AfterEach
	void stop() {
		this.timers.shutdown();
	}

	private static Call ringingCall(Duration ringTimeout) {
		Line line = new Line(new LineProperties.Spec("Test", ringTimeout, "", false, 1, 0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "c1");
		call.apply(CallEvent.DIAL, Call.Role.CALLER);
		return call;
	}

	@Test
	void aCallThatHasRungPastItsLinesTimeoutIsTimedOutOnce() throws Exception {
		Call call = ringingCall(Duration.ofMillis(20));
		this.timers.start(call);
		Thread.sleep(40);
		this.timers.sweep();
		this.timers.sweep();
		assertThat(this.timedOut).containsExactly(call);
		assertThat(this.timers.ringingCount()).isZero();
	}

	@Test
	void aCallWithinItsTimeoutKeepsRinging() {
		Call call = ringingCall(Duration.ofSeconds(60));
		this.timers.start(call);
		this.timers.sweep();
		assertThat(this.timedOut).isEmpty();
		assertThat(this.timers.ringingCount()).isOne();
	}

	@Test
	void aCallThatStoppedRingingIsNeverTimedOut() throws Exception {
		Call call = ringingCall(Duration.ofMillis(20));
		this.timers.start(call);
		this.timers.stop(call);
		Thread.sleep(40);
		this.timers.sweep();
		assertThat(this.timedOut).isEmpty();
		assertThat(this.timers.ringingCount()).isZero();
	}

	@Test
	void theTickIsATenthOfTheShortestRingTimeoutBetweenTenMillisecondsAndOneSecond() {
		assertThat(RingTimers.tickFor(List.of(Duration.ofSeconds(60)))).isEqualTo(Duration.ofSeconds(1));
		assertThat(RingTimers.tickFor(List.of(Duration.ofSeconds(60), Duration.ofMillis(300))))
			.isEqualTo(Duration.ofMillis(30));
		assertThat(RingTimers.tickFor(List.of(Duration.ofMillis(50)))).isEqualTo(Duration.ofMillis(10));
	}

}
