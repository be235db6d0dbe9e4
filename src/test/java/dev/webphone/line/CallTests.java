package dev.webphone.line;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.webphone.line.Call.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The call state machine: every legal move with what each party hears, and every other one refused.
 */
class CallTests {

	/**
	 * Every legal move, (from, event, by), to "state after / what the caller hears / what the callee
	 * hears / what the callee hears under its old id"; written out here independently of
	 * {@link CallTransition}.
	 */
	private static final Map<String, String> LEGAL = Map.ofEntries(
			Map.entry(key(null, CallEvent.DIAL, Role.CALLER), "RINGING/RINGING/RINGING/null"),
			Map.entry(key(null, CallEvent.DIAL_BUSY, Role.CALLER), "BUSY/BUSY/null/null"),
			Map.entry(key(null, CallEvent.DIAL_NOT_FOUND, Role.CALLER), "NOT_FOUND/NOT_FOUND/null/null"),
			Map.entry(key(CallState.RINGING, CallEvent.ANSWER, Role.CALLEE), "IN_CALL/IN_CALL/IN_CALL/null"),
			Map.entry(key(CallState.RINGING, CallEvent.DIAL_BACK, Role.CALLEE), "IN_CALL/IN_CALL/IN_CALL/COMPLETED"),
			Map.entry(key(CallState.RINGING, CallEvent.DECLINE, Role.CALLEE), "REJECTED/REJECTED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.HANG_UP, Role.CALLEE), "REJECTED/REJECTED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.HANG_UP, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.REFUSE_BUSY, Role.CALLEE), "BUSY/BUSY/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.REFUSE_NOT_FOUND, Role.CALLEE), "NOT_FOUND/NOT_FOUND/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.GIVE_UP, Role.CALLEE), "NOT_ANSWERED/NOT_ANSWERED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.FAIL, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.DISCONNECT, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.DISCONNECT, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.RING_TIMEOUT, null), "NOT_ANSWERED/NOT_ANSWERED/NOT_ANSWERED/null"),
			Map.entry(key(CallState.RINGING, CallEvent.FORWARD, Role.CALLEE), "RINGING/RINGING/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.HANG_UP, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.HANG_UP, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.DISCONNECT, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.DISCONNECT, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.PUT_ON_HOLD, Role.CALLER), "HOLD/HOLD/HOLD/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.PUT_ON_HOLD, Role.CALLEE), "HOLD/HOLD/HOLD/null"),
			Map.entry(key(CallState.HOLD, CallEvent.TAKE_OFF_HOLD, Role.CALLER), "IN_CALL/IN_CALL/IN_CALL/null"),
			Map.entry(key(CallState.HOLD, CallEvent.TAKE_OFF_HOLD, Role.CALLEE), "IN_CALL/IN_CALL/IN_CALL/null"),
			Map.entry(key(CallState.HOLD, CallEvent.HANG_UP, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.HOLD, CallEvent.HANG_UP, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.HOLD, CallEvent.DISCONNECT, Role.CALLER), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.HOLD, CallEvent.DISCONNECT, Role.CALLEE), "COMPLETED/COMPLETED/COMPLETED/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.TRANSFER, Role.CALLER), "RINGING/COMPLETED/RINGING/null"),
			Map.entry(key(CallState.IN_CALL, CallEvent.TRANSFER, Role.CALLEE), "RINGING/RINGING/COMPLETED/null"),
			Map.entry(key(CallState.HOLD, CallEvent.TRANSFER, Role.CALLER), "RINGING/COMPLETED/RINGING/null"),
			Map.entry(key(CallState.HOLD, CallEvent.TRANSFER, Role.CALLEE), "RINGING/RINGING/COMPLETED/null"));

	/** The moves that re-seat a call: the party that makes them leaves it, the other stays. */
	private static final Set<CallEvent> RESEATING = Set.of(CallEvent.FORWARD, CallEvent.TRANSFER);

	private static String key(CallState from, CallEvent event, Role by) {
		return from + "/" + event + "/" + by;
	}

	private static List<CallState> everyStateAndNone() {
		List<CallState> states = new ArrayList<>(Arrays.asList(CallState.values()));
		states.add(null);
		return states;
	}

	private static Set<Role> everyone() {
		Set<Role> everyone = new HashSet<>(Arrays.asList(Role.values()));
		everyone.add(null);
		return everyone;
	}

	@Test
	void everyLegalMoveLeadsWhereTheTableSaysAndTellsEachPartyItsOwnOutcome() {
		LEGAL.forEach((key, expected) -> {
			String[] parts = key.split("/");
			CallState from = "null".equals(parts[0]) ? null : CallState.valueOf(parts[0]);
			Role by = "null".equals(parts[2]) ? null : Role.valueOf(parts[2]);
			CallEvent event = CallEvent.valueOf(parts[1]);
			CallTransition move = CallTransition.of(from, event, by);
			assertThat(move.to + "/" + move.callerHears + "/" + move.calleeHears + "/" + move.calleeOldIdHears).as(key)
				.isEqualTo(expected);
			assertThat(move.heardBy(Role.CALLER)).isEqualTo(move.callerHears);
			assertThat(move.heardBy(Role.CALLEE)).isEqualTo(move.calleeHears);
			assertThat(move.reseats()).as(key).isEqualTo(RESEATING.contains(event));
			if (move.reseats()) {
				assertThat(move.heardBy(by)).as("the party that re-seats a call is done with it")
					.isEqualTo(CallState.COMPLETED);
				assertThat(move.heardBy((by == Role.CALLER) ? Role.CALLEE : Role.CALLER))
					.as("the party that stays hears the call go on")
					.isEqualTo(move.to);
			}
			else {
				assertThat(move.callerHears).as("the caller hears the state after").isEqualTo(move.to);
			}
		});
		assertThat(CallTransition.values()).hasSameSizeAs(LEGAL.keySet());
	}

	@Test
	void everyOtherMoveIsRefused() {
		int refused = 0;
		for (CallState from : everyStateAndNone()) {
			for (CallEvent event : CallEvent.values()) {
				for (Role by : everyone()) {
					if (!LEGAL.containsKey(key(from, event, by))) {
						assertThatExceptionOfType(IllegalCallTransitionException.class).as(key(from, event, by))
							.isThrownBy(() -> CallTransition.of(from, event, by));
						refused++;
					}
				}
			}
		}
		assertThat(refused).isEqualTo((CallState.values().length + 1) * CallEvent.values().length * 3 - LEGAL.size());
	}

	@ParameterizedTest
	@EnumSource(value = CallState.class, names = { "RINGING", "IN_CALL", "HOLD" }, mode = EnumSource.Mode.EXCLUDE)
	void finalStatesAreFinal(CallState state) {
		assertThat(state.isFinal()).isTrue();
		for (CallEvent event : CallEvent.values()) {
			for (Role by : everyone()) {
				assertThatExceptionOfType(IllegalCallTransitionException.class)
					.isThrownBy(() -> CallTransition.of(state, event, by));
			}
		}
	}

	@Test
	void aForwardedCallGoesOnBetweenTheCallerAndTheTargetUnderTheCallersId() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Client target = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "c1", CallType.VIDEO);
		call.apply(CallEvent.DIAL, Role.CALLER);
		CallTransition forwarded = call.apply(CallEvent.FORWARD, Role.CALLEE);
		assertThat(forwarded).isEqualTo(CallTransition.FORWARDED);

		Call reseated = call.reseated(forwarded, caller, target, target.number());
		assertThat(reseated.state()).isEqualTo(CallState.RINGING);
		assertThat(reseated.caller()).isSameAs(caller);
		assertThat(reseated.callee()).isSameAs(target);
		assertThat(reseated.legIdOf(caller)).isEqualTo("c1");
		assertThat(reseated.legIdOf(target)).isEqualTo("c1");
		assertThat(reseated.otherNumber(Role.CALLER)).isEqualTo(target.number());
		assertThat(reseated.type()).isEqualTo(CallType.VIDEO);
		assertThat(reseated.sameConversation(call)).isTrue();
		assertThat(call.sameConversation(reseated)).isTrue();
		assertThat(reseated.apply(CallEvent.ANSWER, Role.CALLEE)).isEqualTo(CallTransition.ANSWERED);
	}

	@Test
	void aTransferredCalleeStaysUnderItsOwnIdAndCallsTheTarget() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Client target = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "from-caller");
		call.apply(CallEvent.DIAL, Role.CALLER);
		call.dialBack("from-callee");
		CallTransition transferred = call.apply(CallEvent.TRANSFER, Role.CALLER);
		assertThat(transferred).isEqualTo(CallTransition.TRANSFERRED_BY_CALLER);

		Call reseated = call.reseated(transferred, callee, target, target.number());
		assertThat(reseated.caller()).as("who stays calls the target").isSameAs(callee);
		assertThat(reseated.legIdOf(callee)).isEqualTo("from-callee");
		assertThat(reseated.legIdOf(target)).isEqualTo("from-callee");
		assertThat(reseated.otherNumber(Role.CALLEE)).isEqualTo(callee.number());
	}

	@Test
	void onlyAForwardOrTransferJustAppliedReseatsACall() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "c1");
		CallTransition rings = call.apply(CallEvent.DIAL, Role.CALLER);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> call.reseated(rings, caller, callee, callee.number()));
		call.apply(CallEvent.ANSWER, Role.CALLEE);
		assertThatExceptionOfType(IllegalStateException.class).as("a transfer that was not applied")
			.isThrownBy(() -> call.reseated(CallTransition.TRANSFERRED_BY_CALLEE, caller, callee, callee.number()));
		Call other = new Call(caller, callee, callee.number(), "c2");
		assertThat(other.sameConversation(call)).isFalse();
	}

	@Test
	void theLiveStatesAreNotFinal() {
		assertThat(CallState.RINGING.isFinal()).isFalse();
		assertThat(CallState.IN_CALL.isFinal()).isFalse();
		assertThat(CallState.HOLD.isFinal()).isFalse();
	}

	@Test
	void onlyAnAnsweredCallThatIsNotOverIsConnected() {
		assertThat(Arrays.stream(CallState.values()).filter(CallState::isConnected))
			.containsExactlyInAnyOrder(CallState.IN_CALL, CallState.HOLD);
	}

	@Test
	void eitherPartyHoldsAndEitherTakesTheCallOffHoldWhoeverHeldIt() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "c1");
		call.apply(CallEvent.DIAL, Role.CALLER);
		call.apply(CallEvent.ANSWER, Role.CALLEE);
		assertThat(call.apply(CallEvent.PUT_ON_HOLD, Role.CALLER)).isEqualTo(CallTransition.HELD_BY_CALLER);
		assertThatExceptionOfType(IllegalCallTransitionException.class).as("held twice")
			.isThrownBy(() -> call.apply(CallEvent.PUT_ON_HOLD, Role.CALLEE));
		assertThat(call.apply(CallEvent.TAKE_OFF_HOLD, Role.CALLEE)).isEqualTo(CallTransition.UNHELD_BY_CALLEE);
		assertThatExceptionOfType(IllegalCallTransitionException.class).as("taken off hold twice")
			.isThrownBy(() -> call.apply(CallEvent.TAKE_OFF_HOLD, Role.CALLER));
		assertThat(call.apply(CallEvent.PUT_ON_HOLD, Role.CALLEE)).isEqualTo(CallTransition.HELD_BY_CALLEE);
		assertThat(call.apply(CallEvent.HANG_UP, Role.CALLER).to).isEqualTo(CallState.COMPLETED);
	}

	@Test
	void aCallMovesThroughTheTableFromItsDial() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "c1");
		assertThat(call.state()).isNull();
		assertThat(call.apply(CallEvent.DIAL, Role.CALLER)).isEqualTo(CallTransition.RINGS);
		assertThat(call.apply(CallEvent.DECLINE, Role.CALLEE)).isEqualTo(CallTransition.DECLINED);
		assertThat(call.state()).isEqualTo(CallState.REJECTED);
		assertThatExceptionOfType(IllegalCallTransitionException.class)
			.isThrownBy(() -> call.apply(CallEvent.ANSWER, Role.CALLEE));
		assertThat(call.state()).isEqualTo(CallState.REJECTED);
	}

	@Test
	void aDialToANumberNobodyHasIsACallThatEndsAtOnce() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, null, "999", "c1");
		assertThat(call.apply(CallEvent.DIAL_NOT_FOUND, Role.CALLER).to).isEqualTo(CallState.NOT_FOUND);
		assertThat(call.otherNumber(Role.CALLER)).isEqualTo("999");
		assertThat(call.party(Role.CALLEE)).isNull();
	}

	@Test
	void aMergedCallIsAnsweredAndKnownToTheCalleeByItsOwnDialId() {
		Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);
		Client caller = new Client(line, line.allocateNumber(), Map.of(), null);
		Client callee = new Client(line, line.allocateNumber(), Map.of(), null);
		Call call = new Call(caller, callee, callee.number(), "from-caller");
		call.apply(CallEvent.DIAL, Role.CALLER);
		assertThat(call.dialBack("from-callee")).isEqualTo(CallTransition.MERGED);
		assertThat(call.state()).isEqualTo(CallState.IN_CALL);
		assertThat(call.legIdOf(caller)).isEqualTo("from-caller");
		assertThat(call.legIdOf(callee)).isEqualTo("from-callee");
	}

}
