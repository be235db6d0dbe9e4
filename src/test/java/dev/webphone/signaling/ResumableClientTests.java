package dev.webphone.signaling;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.webphone.signaling.ResumableClient.Event;
import dev.webphone.signaling.ResumableClient.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The life of a client across its connections, without a transport: the transition table, and a
 * resume racing the grace expiry on real threads.
 */
class ResumableClientTests {

	private static final Map<State, Map<Event, State>> LEGAL = Map.of(State.ATTACHED,
			Map.of(Event.RESUME, State.ATTACHED, Event.DROP, State.DETACHED, Event.LEAVE, State.ENDED), State.DETACHED,
			Map.of(Event.RESUME, State.ATTACHED, Event.EXPIRE, State.ENDED), State.ENDED, Map.of());

	/** A session that is never written to: these tests only compare who holds the client. */
	private static SignalingSession session() {
		return new SignalingSession(null, null, null, null, null, null, null, null, null);
	}

	@Test
	void everyMoveOutsideTheTableIsRefused() {
		for (State from : State.values()) {
			for (Event event : Event.values()) {
				State legal = LEGAL.get(from).get(event);
				if (legal != null) {
					assertThat(ResumableClient.next(from, event)).as(from + " " + event).isEqualTo(legal);
				}
				else {
					assertThatIllegalStateException().as(from + " " + event)
						.isThrownBy(() -> ResumableClient.next(from, event));
				}
			}
		}
		assertThat(EnumSet.allOf(State.class)).allMatch(LEGAL::containsKey);
	}

	@Test
	void aResumeAfterTheExpiryIsRefusedAndChangesNothing() {
		SignalingSession first = session();
		ResumableClient client = new ResumableClient(first, "secret", 1000, () -> {
		});
		long detached = client.drop(first);
		assertThat(client.expire(detached)).isTrue();
		assertThat(client.resume(session(), "new")).isNull();
		assertThat(client.state()).isEqualTo(State.ENDED);
		assertThat(client.secret()).isEqualTo("secret");
	}

	@Test
	void aStaleTimerDoesNotEndADetachmentThatCameAfterAResume() {
		SignalingSession first = session();
		SignalingSession second = session();
		ResumableClient client = new ResumableClient(first, "secret", 1000, () -> {
		});
		long firstLoss = client.drop(first);
		assertThat(client.resume(second, "again")).isSameAs(second);
		long secondLoss = client.drop(second);
		assertThat(client.expire(firstLoss)).isFalse();
		assertThat(client.state()).isEqualTo(State.DETACHED);
		assertThat(client.expire(secondLoss)).isTrue();
	}

	@Test
	void onlyTheConnectionHoldingTheClientCanDropIt() {
		SignalingSession first = session();
		SignalingSession second = session();
		ResumableClient client = new ResumableClient(first, "secret", 1000, () -> {
		});
		assertThat(client.resume(second, "moved")).as("the connection taken over").isSameAs(first);
		assertThat(client.drop(first)).isNegative();
		assertThat(client.leave(first)).isFalse();
		assertThat(client.isHeldBy(second)).isTrue();
	}

	@Test
	void aResumeRacingTheExpiryWinsOrLosesWhole() throws Exception {
		for (int round = 0; round < 20_000; round++) {
			SignalingSession lost = session();
			SignalingSession back = session();
			ResumableClient client = new ResumableClient(lost, "secret", 1000, () -> {
			});
			long detached = client.drop(lost);
			CyclicBarrier start = new CyclicBarrier(2);
			AtomicBoolean expired = new AtomicBoolean();
			AtomicReference<SignalingSession> resumed = new AtomicReference<>();
			Thread expiry = new Thread(() -> {
				await(start);
				expired.set(client.expire(detached));
			});
			expiry.start();
			await(start);
			resumed.set(client.resume(back, "fresh"));
			expiry.join();
			assertThat(expired.get()).as("round %d: exactly one of expiry and resume wins", round)
				.isEqualTo(resumed.get() == null);
			assertThat(client.state()).as("round %d", round).isEqualTo(expired.get() ? State.ENDED : State.ATTACHED);
		}
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
