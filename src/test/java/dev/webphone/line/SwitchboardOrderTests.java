package dev.webphone.line;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.webphone.ice.IceServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * What each client hears when many threads work the switchboard at once: every client's messages
 * make sense in the order they arrive, whatever the interleaving.
 *
 * <p>Each round starts a switchboard with a few clients and lets several real threads dial, accept,
 * reject, hang up, relay, hold, take off hold, send messages, forward, transfer, leave and rejoin at
 * random (simultaneous dialling included, since the clients dial each other), then hangs up what is
 * left and checks, for every client, the sequence its channel received. A failure names the seed of
 * its round, which replays the same choices (the interleaving itself is the scheduler's).
 *
 * <p>A forward or transfer changes three clients at once; {@link #redirectsRacingEachOther} makes
 * them race each other and everything else that touches those clients, and then compares what each
 * client was told with what the switchboard holds.
 */
class SwitchboardOrderTests {

	private static final int ROUNDS = 300;

	private static final int CLIENTS = 4;

	private static final int THREADS = 4;

	private static final int STEPS = 60;

	private static final Set<CallState> LIVE = Set.of(CallState.RINGING, CallState.IN_CALL, CallState.HOLD);

	private static final int RACE_ROUNDS = 200;

	@Test
	void everyClientHearsOfItsCallsInAnOrderThatMakesSense() throws Exception {
		long master = Long.getLong("order.seed", System.nanoTime());
		Random seeds = new Random(master);
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			for (int round = 0; round < ROUNDS; round++) {
				long seed = seeds.nextLong();
				try {
					runRound(seed, threads);
				}
				catch (AssertionError | Exception ex) {
					throw new AssertionError("Round " + round + " failed; replay with -Dorder.seed=" + master
							+ " (round seed " + seed + ")", ex);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * A call between a and b, connected or ringing, with c and d free; then four threads, one per client, each make
	 * a few moves that collide: both parties transfer each other to c or d, held or not, c and d
	 * answer, forward, dial and hang up, a party leaves. No thread waits for ever (no deadlock), every client's messages
	 * make sense in order, and once the threads are done each client still on the line was told of
	 * exactly the call the switchboard has it in, whose other party is in the same call.
	 */
	@Test
	void redirectsRacingEachOther() throws Exception {
		long master = Long.getLong("order.seed", System.nanoTime());
		Random seeds = new Random(master);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		Map<String, Integer> heard = new java.util.TreeMap<>();
		try {
			for (int round = 0; round < RACE_ROUNDS; round++) {
				long seed = seeds.nextLong();
				try {
					race(seed, threads).forEach((what, count) -> heard.merge(what, count, Integer::sum));
				}
				catch (AssertionError | Exception ex) {
					throw new AssertionError("Race " + round + " failed; replay with -Dorder.seed=" + master
							+ " (round seed " + seed + ")", ex);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		// The races did re-seat calls, both ways, and also connected the call that went on.
		System.out.println("Redirect races: " + heard);
		assertThat(heard).containsKeys("RINGING FORWARDED", "RINGING TRANSFERRED", "COMPLETED FORWARDED",
				"COMPLETED TRANSFERRED", "IN_CALL after a redirect", "transferred while held");
	}

	/** Runs one race; returns how often the clients heard of a forward or transfer, by what they heard. */
	private Map<String, Integer> race(long seed, ExecutorService threads) throws Exception {
		// No ring time-out within the round: when the threads are done, nothing else moves.
		Switchboard switchboard = TestSwitchboards
			.of(new LineProperties.Spec("Test", Duration.ofMinutes(10), "", false, 1001, 0));
		try {
			Set<String> reused = Set.of();
			Ear[] ears = new Ear[4];
			for (int i = 0; i < ears.length; i++) {
				ears[i] = new Ear(reused);
				ears[i].client = switchboard.join("Test", Map.of(), ears[i]);
			}
			Client a = ears[0].client;
			Client b = ears[1].client;
			Client c = ears[2].client;
			Client d = ears[3].client;
			switchboard.dial(a, "ab", b.number(), CallType.AUDIO);
			if (seed % 2 == 0) {
				// Half the races start from a ringing call, which only a forward re-seats.
				switchboard.accept(b, "ab");
			}
			String[] numbers = { a.number(), b.number(), c.number(), d.number() };
			CyclicBarrier start = new CyclicBarrier(4);
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				Client self = ears[t].client;
				Ear ear = ears[t];
				Random random = new Random(seed + t);
				workers.add(threads.submit(() -> {
					start.await();
					for (int step = 0; step < 12; step++) {
						String callId = (step == 0) ? "ab" : Objects.requireNonNullElse(ear.newestCallId(), "ab");
						String to = numbers[random.nextInt(numbers.length)];
						try {
							switch (random.nextInt(10)) {
								case 0, 1 -> switchboard.transfer(self, callId, to);
								case 2 -> switchboard.forward(self, callId, to);
								case 3, 4 -> switchboard.accept(self, callId);
								case 5 -> switchboard.dial(self, "d" + self.number() + "-" + step, to, CallType.AUDIO);
								case 6 -> switchboard.hangUp(self, callId, null);
								case 7 -> switchboard.hold(self, callId);
								case 8 -> switchboard.unhold(self, callId);
								default -> {
									if (random.nextInt(4) == 0) {
										switchboard.leave(self);
									}
									else {
										switchboard.relay(self, callId, new MediaSignal() {
										});
									}
								}
							}
						}
						catch (RuntimeException refused) {
							// what matters is what the channels heard
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(30, TimeUnit.SECONDS);
			}
			for (Ear ear : ears) {
				Set<String> told = ear.replay();
				if (ear.client.isGone()) {
					continue;
				}
				Call call = ear.client.call();
				assertThat(told).as("what %s was told, against its call %s; heard %s", ear.client, call, ear.heard())
					.isEqualTo((call != null) ? Set.of(call.legIdOf(ear.client)) : Set.of());
				if (call != null) {
					Client other = call.otherParty(ear.client);
					assertThat(other.call()).as("the other party of %s", call).isSameAs(call);
				}
			}
			for (Ear ear : ears) {
				for (String callId : ear.callIds()) {
					switchboard.hangUp(ear.client, callId, null);
				}
			}
			Map<String, Integer> redirects = new HashMap<>();
			for (Ear ear : ears) {
				ear.check();
				boolean redirected = false;
				Map<String, String> lastState = new HashMap<>();
				for (String message : ear.heard()) {
					String[] parts = message.split(" ");
					if (message.endsWith("FORWARDED") || message.endsWith("TRANSFERRED")) {
						redirects.merge(message.substring(message.indexOf(' ', 6) + 1), 1, Integer::sum);
						if ("HOLD".equals(lastState.get(parts[1]))) {
							redirects.merge("transferred while held", 1, Integer::sum);
						}
						redirected = true;
					}
					else if (redirected && message.endsWith(" IN_CALL")) {
						redirects.merge("IN_CALL after a redirect", 1, Integer::sum);
					}
					if (parts[0].equals("state")) {
						lastState.put(parts[1], parts[2]);
					}
				}
			}
			assertThat(switchboard.ringingCount()).isZero();
			return redirects;
		}
		finally {
			switchboard.destroy();
		}
	}

	private void runRound(long seed, ExecutorService threads) throws Exception {
		Switchboard switchboard = switchboard();
		try {
			Round round = new Round(switchboard, new Random(seed));
			CyclicBarrier start = new CyclicBarrier(THREADS);
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				Random random = new Random(seed + t + 1);
				workers.add(threads.submit(() -> {
					start.await();
					for (int step = 0; step < STEPS; step++) {
						round.step(random);
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(30, TimeUnit.SECONDS);
			}
			round.endEverything();
			for (Ear ear : round.everyone) {
				ear.check();
			}
		}
		finally {
			switchboard.destroy();
		}
	}

	private static Switchboard switchboard() {
		// A short ring time-out lets the ring timer's thread end calls too.
		return TestSwitchboards.of(new LineProperties.Spec("Test", Duration.ofMillis(40), "", true, 1001, 0));
	}

	/** The clients of one round and the random moves made on them. */
	private static final class Round {

		private final Switchboard switchboard;

		private final AtomicReferenceArray<Ear> seats = new AtomicReferenceArray<>(CLIENTS);

		/** Every client that was ever on the line this round, gone or not. */
		final List<Ear> everyone = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final AtomicInteger ids = new AtomicInteger();

		private final Set<String> reused = java.util.concurrent.ConcurrentHashMap.newKeySet();

		Round(Switchboard switchboard, Random random) {
			this.switchboard = switchboard;
			for (int i = 0; i < CLIENTS; i++) {
				this.seats.set(i, join());
			}
		}

		private Ear join() {
			Ear ear = new Ear(this.reused);
			ear.client = this.switchboard.join("Test", Map.of(), ear);
			this.everyone.add(ear);
			return ear;
		}

		void step(Random random) {
			int seat = random.nextInt(CLIENTS);
			Ear ear = this.seats.get(seat);
			Client client = ear.client;
			int move = random.nextInt(120);
			try {
				if (move < 35) {
					Ear other = this.seats.get(random.nextInt(CLIENTS));
					String to = (random.nextInt(20) == 0) ? "999999" : other.client.number();
					String callId = "c" + this.ids.incrementAndGet();
					this.switchboard.dial(client, callId, to, CallType.AUDIO);
				}
				else if (move < 40) {
					// A dial reusing the id of this client's newest call, live or over, to anyone.
					String known = ear.newestCallId();
					if (known != null) {
						Ear other = this.seats.get(random.nextInt(CLIENTS));
						String to = (random.nextBoolean()) ? "999999" : other.client.number();
						this.reused.add(known);
						this.switchboard.dial(client, known, to, CallType.AUDIO);
					}
				}
				else if (move < 60) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.accept(client, known);
					}
				}
				else if (move < 66) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.reject(client, known);
					}
				}
				else if (move < 80) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.hangUp(client, known, null);
					}
				}
				else if (move < 88) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.relay(client, known, new MediaSignal() {
						});
					}
				}
				else if (move < 96) {
					// A forward or transfer: to another client (who may be in a call, or a party of this
					// one), to nobody, or to this client itself.
					String known = ear.someCallId(random);
					if (known != null) {
						int pick = random.nextInt(12);
						String to = (pick == 0) ? "999999"
								: (pick == 1) ? client.number() : this.seats.get(random.nextInt(CLIENTS)).client.number();
						if (random.nextBoolean()) {
							this.switchboard.forward(client, known, to);
						}
						else if (move < 100) {
							this.switchboard.transfer(client, known, to);
						}
					}
				}
				else if (move < 100) {
					Ear fresh = join();
					if (this.seats.compareAndSet(seat, ear, fresh)) {
						this.switchboard.leave(client);
					}
					else {
						this.switchboard.leave(fresh.client);
					}
				}
				else if (move < 106) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.hold(client, known);
					}
				}
				else if (move < 112) {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.unhold(client, known);
					}
				}
				else {
					String known = ear.someCallId(random);
					if (known != null) {
						this.switchboard.tellParty(client, known,
								random.nextBoolean() ? new PartyMessage.Text("hi") : new PartyMessage.Dtmf("5"));
					}
				}
			}
			catch (RuntimeException refused) {
				// A refusal of the client's request; what matters is what the channels heard.
			}
		}

		/** Hangs up every call a client still on the line heard of, then waits for the line to settle. */
		void endEverything() {
			for (int i = 0; i < CLIENTS; i++) {
				Ear ear = this.seats.get(i);
				for (String callId : ear.callIds()) {
					try {
						this.switchboard.hangUp(ear.client, callId, null);
					}
					catch (RuntimeException ignored) {
						// hang-up never refuses; a change of the contract shows in the checks below
					}
				}
			}
			await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> this.switchboard.ringingCount() == 0);
		}

	}

	/** One client's channel: records what it hears, and whether two threads ever talk to it at once. */
	private static final class Ear implements ClientChannel {

		volatile Client client;

		private final List<String> heard = new ArrayList<>();

		private final AtomicInteger speaking = new AtomicInteger();

		private volatile boolean overlapped;

		/** Ids dialled again this round, which start a new call when the old one is over. */
		private final Set<String> reused;

		Ear(Set<String> reused) {
			this.reused = reused;
		}

		private void hear(String message) {
			if (this.speaking.incrementAndGet() > 1) {
				this.overlapped = true;
			}
			synchronized (this.heard) {
				this.heard.add(message);
			}
			this.speaking.decrementAndGet();
		}

		List<String> heard() {
			synchronized (this.heard) {
				return List.copyOf(this.heard);
			}
		}

		Set<String> callIds() {
			Set<String> ids = new HashSet<>();
			for (String message : heard()) {
				String[] parts = message.split(" ");
				if (parts.length > 1 && !parts[0].equals("presence") && !parts[1].equals("null")) {
					ids.add(parts[1]);
				}
			}
			return ids;
		}

		String newestCallId() {
			List<String> messages = heard();
			for (int i = messages.size() - 1; i >= 0; i--) {
				String[] parts = messages.get(i).split(" ");
				if (parts.length > 1 && !parts[0].equals("presence") && !parts[1].equals("null")) {
					return parts[1];
				}
			}
			return null;
		}

		String someCallId(Random random) {
			List<String> ids = new ArrayList<>(callIds());
			if (ids.isEmpty()) {
				return null;
			}
			ids.sort(null);
			// The newest ids are the interesting ones.
			return ids.get(Math.max(0, ids.size() - 1 - random.nextInt(Math.min(ids.size(), 3))));
		}

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
			hear("granted");
		}

		@Override
		public void presence(PresenceFrame frame) {
			frame.announcements().forEach((change) -> hear("presence " + change.phoneNumber() + " " + change.status()));
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
			hear("incoming " + callId);
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			hear("state " + callId + " " + state + ("merged".equals(reason) ? " merged" : ""));
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
			hear("state " + callId + " " + state + " " + how);
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
			hear("signal " + callId);
		}

		@Override
		public void fromParty(String callId, PartyMessage message) {
			hear("said " + callId);
		}

		@Override
		public void restartIce(String callId) {
		}

		@Override
		public void resumed(Resumed resumed) {
		}

		@Override
		public void refused(Refusal refusal) {
			hear("error " + refusal.callId() + " " + refusal.reason());
		}

		/** The invariants of one client's messages, in the order they arrived. */
		void check() {
			Set<String> live = replay();
			if (!this.client.isGone()) {
				assertThat(live).as("calls never ended for a client still on the line: %s", heard()).isEmpty();
			}
			assertThat(this.overlapped).as("two threads talked to one client at once").isFalse();
		}

		/**
		 * Checks the client's messages in the order they arrived, and returns the ids of the calls they
		 * leave it in: at most one.
		 */
		Set<String> replay() {
			List<String> messages = heard();
			assertThat(messages).as("the first message").first().isEqualTo("granted");
			Map<String, List<String>> byCall = new HashMap<>();
			Set<String> live = new HashSet<>();
			for (int i = 0; i < messages.size(); i++) {
				String[] parts = messages.get(i).split(" ");
				String kind = parts[0];
				if (kind.equals("presence") || kind.equals("error") || kind.equals("granted")) {
					continue;
				}
				String callId = parts[1];
				List<String> story = byCall.computeIfAbsent(callId, (id) -> new ArrayList<>());
				String last = story.isEmpty() ? null : story.get(story.size() - 1);
				String where = "message " + i + " of " + messages;
				// The id of a call that is over may come again: from a client that dialled it anew, or,
				// for an incoming call, from a caller that kept it through a forward or transfer.
				if (last != null && isFinal(last) && (kind.equals("incoming") || this.reused.contains(callId)
						&& kind.equals("state") && Set.of("RINGING", "IN_CALL", "BUSY", "NOT_FOUND").contains(parts[2]))) {
					story.clear();
					last = null;
				}
				if (last != null && isFinal(last)) {
					fail("%s for call %s after its final state; %s", messages.get(i), callId, where);
				}
				switch (kind) {
					case "incoming" -> {
						if (last != null) {
							fail("incoming %s after %s; %s", callId, story, where);
						}
						live.add(callId);
					}
					case "signal", "said" -> {
						if (story.lastIndexOf("IN_CALL") <= story.lastIndexOf("RINGING")) {
							fail("%s for %s that is not connected (%s); %s", kind, callId, story, where);
						}
					}
					case "state" -> checkState(parts, story, last, where);
					default -> fail("unexpected message %s", messages.get(i));
				}
				if (kind.equals("incoming")) {
					live.add(callId);
				}
				else if (kind.equals("state")) {
					if (CallState.valueOf(parts[2]).isFinal()) {
						live.remove(callId);
					}
					else {
						live.add(callId);
					}
				}
				if (!kind.equals("signal") && !kind.equals("said")) {
					story.add(kind.equals("state") ? parts[2] : kind);
				}
				if (live.size() > 1) {
					fail("in calls %s at once; %s", live, where);
				}
			}
			return live;
		}

		/** One call state, after {@code story}: "state callId STATE [merged|FORWARDED|TRANSFERRED]". */
		private static void checkState(String[] parts, List<String> story, String last, String where) {
			String callId = parts[1];
			CallState state = CallState.valueOf(parts[2]);
			String tag = (parts.length > 3) ? parts[3] : null;
			boolean forwarded = "FORWARDED".equals(tag);
			boolean transferred = "TRANSFERRED".equals(tag);
			if (forwarded || transferred) {
				// The party that stays hears RINGING at the target; the one that moved, COMPLETED. A
				// forwarded call was ringing, a transferred one connected, held or not.
				Set<String> before = forwarded ? Set.of((state == CallState.RINGING) ? "RINGING" : "incoming")
						: Set.of("IN_CALL", "HOLD");
				if (state != CallState.RINGING && state != CallState.COMPLETED || !before.contains(last)) {
					fail("%s %s %s after %s; %s", state, tag, callId, story, where);
				}
				return;
			}
			if (state == CallState.RINGING && last != null) {
				fail("RINGING %s after %s; %s", callId, story, where);
			}
			if ((state == CallState.BUSY || state == CallState.NOT_FOUND) && last != null) {
				fail("%s %s after %s: only a dial that never rang ends so; %s", state, callId, story, where);
			}
			if (state == CallState.IN_CALL && last != null && !Set.of("RINGING", "incoming", "HOLD").contains(last)) {
				fail("IN_CALL %s after %s: only a ringing call is answered, and a held one taken off hold; %s", callId,
						story, where);
			}
			if (state == CallState.HOLD && !"IN_CALL".equals(last)) {
				fail("HOLD %s after %s: only a connected call is held; %s", callId, story, where);
			}
			if ("merged".equals(tag) && !"incoming".equals(last)) {
				fail("a merged end of %s that did not ring here (%s); %s", callId, story, where);
			}
		}

		private static boolean isFinal(String step) {
			return !step.equals("incoming") && !LIVE.contains(CallState.valueOf(step));
		}

	}

}
