package dev.webphone.line;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.webphone.line.Call.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The call state machine: every legal move, and every other one refused.
 */
class CallTests {

	/** Every legal move: (from, event, by) to the next state. */
	private static final Map<String, CallState> LEGAL = Map.ofEntries(
			Map.entry(key(CallState.RINGING, CallEvent.ANSWER, Role.CALLEE), CallState.IN_CALL),
			Map.entry(key(CallState.RINGING, CallEvent.DECLINE, Role.CALLEE), CallState.REJECTED),
			Map.entry(key(CallState.RINGING, CallEvent.HANG_UP, Role.CALLEE), CallState.REJECTED),
			Map.entry(key(CallState.RINGING, CallEvent.HANG_UP, Role.CALLER), CallState.COMPLETED),
			Map.entry(key(CallState.RINGING, CallEvent.DISCONNECT, Role.CALLER), CallState.COMPLETED),
			Map.entry(key(CallState.RINGING, CallEvent.DISCONNECT, Role.CALLEE), CallState.COMPLETED),
			Map.entry(key(CallState.RINGING, CallEvent.RING_TIMEOUT, null), CallState.NOT_ANSWERED),
			Map.entry(key(CallState.IN_CALL, CallEvent.HANG_UP, Role.CALLER), CallState.COMPLETED),
			Map.entry(key(CallState.IN_CALL, CallEvent.HANG_UP, Role.CALLEE), CallState.COMPLETED),
			Map.entry(key(CallState.IN_CALL, CallEvent.DISCONNECT, Role.CALLER), CallState.COMPLETED),
			Map.entry(key(CallState.IN_CALL, CallEvent.DISCONNECT, Role.CALLEE), CallState.COMPLETED));

	private static String key(CallState from, CallEvent event, Role by) {
		return from + "/" + event + "/" + by;
	}

	@Test
	void everyLegalMoveLeadsWhereTheTableSays() {
		LEGAL.forEach((key, expected) -> {
			String[] parts = key.split("/");
			Role by = "null".equals(parts[2]) ? null : Role.valueOf(parts[2]);
			assertThat(Call.next(CallState.valueOf(parts[0]), CallEvent.valueOf(parts[1]), by)).as(key)
				.isEqualTo(expected);
		});
	}

	@Test
	void everyOtherMoveIsRefused() {
		Set<Role> everyone = new java.util.HashSet<>(EnumSet.allOf(Role.class));
		everyone.add(null);
		int refused = 0;
		for (CallState from : CallState.values()) {
			for (CallEvent event : CallEvent.values()) {
				for (Role by : everyone) {
					if (!LEGAL.containsKey(key(from, event, by))) {
						assertThatExceptionOfType(IllegalCallTransitionException.class).as(key(from, event, by))
							.isThrownBy(() -> Call.next(from, event, by));
						refused++;
					}
				}
			}
		}
		assertThat(refused).isEqualTo(CallState.values().length * CallEvent.values().length * 3 - LEGAL.size());
	}

	@ParameterizedTest
	@EnumSource(value = CallState.class, names = { "RINGING", "IN_CALL" }, mode = EnumSource.Mode.EXCLUDE)
	void finalStatesAreFinal(CallState state) {
		assertThat(state.isFinal()).isTrue();
		for (CallEvent event : CallEvent.values()) {
			assertThatExceptionOfType(IllegalCallTransitionException.class)
				.isThrownBy(() -> Call.next(state, event, Role.CALLER));
		}
	}

	@Test
	void aCallRecordsItsHistoryAndEachPartySeesItsOwnOutcome() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, "c1");
		assertThat(call.apply(CallEvent.DECLINE, Role.CALLEE)).isEqualTo(CallState.REJECTED);
		assertThat(call.history()).containsExactly(CallState.RINGING, CallState.REJECTED);
		assertThat(call.stateSeenBy(Role.CALLER)).isEqualTo(CallState.REJECTED);
		assertThat(call.stateSeenBy(Role.CALLEE)).isEqualTo(CallState.COMPLETED);
	}

	@Test
	void aMergedCallIsAnsweredAndKnownToTheCalleeByItsOwnDialId() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, "from-caller");
		call.mergeAnswer("from-callee");
		assertThat(call.state()).isEqualTo(CallState.IN_CALL);
		assertThat(call.legIdOf(caller)).isEqualTo("from-caller");
		assertThat(call.legIdOf(callee)).isEqualTo("from-callee");
	}

}
