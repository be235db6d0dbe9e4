package dev.webphone.signaling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.web.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose connection is lost gets its number and call back on a new connection that presents
 * its resume secret, over real WebSockets; what the other party sees meanwhile; and what happens
 * when the secret is wrong, spent or too late. Races use a seeded {@link Random}; the seed is in every
 * failure message, and {@code -Dresume.seed=...} replays a run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.resume-grace=3s", "webphone.signaling.idle-timeout=1500ms",
				"webphone.signaling.ping-interval=300ms" })
class ResumeIntegrationTests {

	static final String LINE = "Webphone1";

	private static final long SEED = Long.getLong("resume.seed", System.nanoTime());

	private final Random random = new Random(SEED);

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Autowired
	ApplicationContext context;

	static Map<String, String> resume(String secret) {
		return Map.of("type", "resume", "secret", secret);
	}

	/** Sets up a connected call from {@code a} to {@code b} with id {@code callId}. */
	static void connect(SignalingClient a, SignalingClient b, String callId) throws Exception {
		a.send(Map.of("type", "dial", "callId", callId, "to", b.number()));
		a.awaitCallState(callId, "RINGING");
		b.await("incoming", (m) -> callId.equals(m.path("callId").asString()));
		b.send(Map.of("type", "accept", "callId", callId));
		a.awaitCallState(callId, "IN_CALL");
		b.awaitCallState(callId, "IN_CALL");
	}

	static Map<String, Object> offer(String callId) {
		return Map.of("type", "sdp", "callId", callId, "description", Map.of("type", "offer", "sdp", "v=0 restart"));
	}

	@Test
	void accessGrantedCarriesAnUnguessableSecretAndTheGracePeriod() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		JsonNode granted = ann.firstMessage();
		assertThat(granted.path("resumeGraceMs").asLong()).isEqualTo(3000);
		assertThat(ann.resumeSecret()).matches("[A-Za-z0-9_-]{43}")
			.doesNotContain(ann.number())
			.isNotEqualTo(bob.resumeSecret());
	}

	@Test
	void aCutConnectionResumesWithTheSameNumberAndTheCallStaysUpForTheOtherParty() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "kept");

		SignalingConnections.cut(this.context, LINE, ann.number());
		assertThat(ann.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		SignalingClient back = this.clients.open();
		back.send(resume(ann.resumeSecret()));
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.path("phoneNumber").asString()).isEqualTo(ann.number());
		assertThat(resumed.path("call").path("callId").asString()).isEqualTo("kept");
		assertThat(resumed.path("call").path("state").asString()).isEqualTo("IN_CALL");
		assertThat(resumed.path("call").path("offerer").asBoolean()).as("the caller makes the offers").isTrue();
		assertThat(resumed.path("resumeSecret").asString()).isNotEqualTo(ann.resumeSecret()).hasSize(43);

		// The caller restarts ICE with a new offer; the call never left IN_CALL for the other party.
		back.send(offer("kept"));
		assertThat(bob.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 restart");
		bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
		bob.assertReceivedNo("restart-ice");
	}

	@Test
	void whenTheCalleeResumesTheCallerIsAskedToRestartIce() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "callee-back");

		SignalingConnections.cut(this.context, LINE, bob.number());
		bob.awaitClosed();
		SignalingClient back = this.clients.open();
		back.send(resume(bob.resumeSecret()));
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.path("call").path("offerer").asBoolean()).isFalse();
		assertThat(ann.await("restart-ice").path("callId").asString()).isEqualTo("callee-back");
		ann.send(offer("callee-back"));
		assertThat(back.await("sdp").path("callId").asString()).isEqualTo("callee-back");
	}

	@Test
	void whileDetachedAClientIsOfflineAndMessagesForItWaitForTheResume() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "hung-up-meanwhile");
		SignalingConnections.cut(this.context, LINE, ann.number());
		ann.awaitClosed();
		bob.awaitClientState(ann.number(), "OFFLINE");
		bob.send(Map.of("type", "hangup", "callId", "hung-up-meanwhile"));
		bob.awaitCallState("hung-up-meanwhile", "COMPLETED");
		bob.send(Map.of("type", "dial", "callId", "while-away", "to", ann.number()));
		bob.awaitCallState("while-away", "NOT_FOUND");

		SignalingClient back = this.clients.open();
		back.send(resume(ann.resumeSecret()));
		assertThat(back.awaitCallState("hung-up-meanwhile", "COMPLETED")).isNotNull();
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.has("call")).isFalse();
		bob.awaitClientState(ann.number(), "ONLINE");
		bob.send(Map.of("type", "dial", "callId", "after-return", "to", ann.number()));
		bob.awaitCallState("after-return", "RINGING");
	}

	@Test
	void aClientTransferredWhileItsConnectionWasDownHearsOfItOnResumeAndRingsAtTheTarget() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		SignalingClient cid = this.clients.join(LINE);
		connect(ann, bob, "moved-meanwhile");
		SignalingConnections.cut(this.context, LINE, ann.number());
		ann.awaitClosed();
		bob.send(Map.of("type", "transfer", "callId", "moved-meanwhile", "to", cid.number()));
		bob.awaitCallState("moved-meanwhile", "COMPLETED");
		assertThat(cid.await("incoming").path("from").asString()).isEqualTo(ann.number());

		SignalingClient back = this.clients.open();
		back.send(resume(ann.resumeSecret()));
		JsonNode told = back.await("call-state");
		assertThat(told.path("state").asString()).isEqualTo("RINGING");
		assertThat(told.path("redirect").asString()).isEqualTo("transferred");
		assertThat(told.path("otherParty").asString()).isEqualTo(cid.number());
		JsonNode call = back.await("resumed").path("call");
		assertThat(call.path("state").asString()).isEqualTo("RINGING");
		assertThat(call.path("otherParty").asString()).isEqualTo(cid.number());
		cid.send(Map.of("type", "accept", "callId", "moved-meanwhile"));
		assertThat(back.awaitCallState("moved-meanwhile", "IN_CALL").path("offerer").asBoolean()).isTrue();
	}

	@Test
	void aWrongSecretIsRefusedAndTheConnectionMayStillConnect() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient stranger = this.clients.open();
		stranger.send(resume(ann.resumeSecret().substring(1) + "A"));
		assertThat(stranger.await("resume-refused").path("reason").asString()).contains("secret");
		stranger.send(Map.of("type", "connect", "line", LINE));
		assertThat(stranger.await("access-granted").path("phoneNumber").asString()).isNotEqualTo(ann.number());
		assertThat(ann.isOpen()).isTrue();
	}

	@Test
	void aSecretIsSpentByTheResumeThatUsesIt() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		String first = ann.resumeSecret();
		SignalingConnections.cut(this.context, LINE, ann.number());
		ann.awaitClosed();
		SignalingClient back = this.clients.open();
		back.send(resume(first));
		back.await("resumed");
		SignalingClient again = this.clients.open();
		again.send(resume(first));
		again.await("resume-refused");
		assertThat(back.isOpen()).isTrue();
	}

	@Test
	void aResumeWhileTheOldConnectionStillSeemsAliveTakesItOver() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "moved");
		SignalingClient moved = this.clients.open();
		moved.send(resume(ann.resumeSecret()));
		assertThat(moved.await("resumed").path("call").path("state").asString()).isEqualTo("IN_CALL");
		assertThat(ann.awaitClosed().getCode()).isEqualTo(SignalingSession.RESUMED_ELSEWHERE);
		moved.send(offer("moved"));
		bob.await("sdp");
		bob.assertReceivedNo("call-state", (m) -> "COMPLETED".equals(m.path("state").asString()));
	}

	@Test
	void afterTheGracePeriodTheNumberIsReleasedTheCallEndsAndTheSecretIsRefused() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "lost");
		long cut = System.nanoTime();
		SignalingConnections.cut(this.context, LINE, ann.number());

		JsonNode ended = bob.awaitCallState("lost", "COMPLETED");
		Duration callHeld = Duration.ofNanos(System.nanoTime() - cut);
		assertThat(ended.path("reason").asString()).isEqualTo(SessionResumption.LOST);
		assertThat(callHeld).as("the call waits the idle time-out for the party to come back")
			.isBetween(Duration.ofMillis(1400), Duration.ofMillis(2900));
		SessionResumption resumption = this.context.getBean(SessionResumption.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> resumption.find(LINE, ann.number()).isEmpty());
		assertThat(Duration.ofNanos(System.nanoTime() - cut)).as("the number is released after the grace period")
			.isGreaterThan(Duration.ofMillis(2900));

		SignalingClient late = this.clients.open();
		late.send(resume(ann.resumeSecret()));
		late.await("resume-refused");
		bob.send(Map.of("type", "dial", "callId", "released", "to", ann.number()));
		bob.awaitCallState("released", "NOT_FOUND");
	}

	@Test
	void aPageThatGoesAwayEndsItsCallAtOnceButKeepsItsNumberForAReload() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "reloaded");
		ann.session().close(CloseStatus.GOING_AWAY);
		assertThat(bob.awaitCallState("reloaded", "COMPLETED").path("reason").asString())
			.isEqualTo(SessionResumption.PAGE_GONE);

		SignalingClient reloaded = this.clients.open();
		reloaded.send(resume(ann.resumeSecret()));
		JsonNode resumed = reloaded.await("resumed");
		assertThat(resumed.path("phoneNumber").asString()).isEqualTo(ann.number());
		assertThat(resumed.has("call")).isFalse();
		reloaded.awaitClientState(bob.number(), "ONLINE");
		bob.awaitClientState(ann.number(), "ONLINE");
	}

	@Test
	void aPageThatDisconnectsReleasesItsNumberAndSecretAtOnce() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		// A client that comes and goes within one presence window is never announced: Bob first hears of Ann.
		bob.awaitClientState(ann.number(), "ONLINE");
		ann.session().close(CloseStatus.NORMAL);
		bob.awaitClientState(ann.number(), "OFFLINE");
		SignalingClient late = this.clients.open();
		late.send(resume(ann.resumeSecret()));
		late.await("resume-refused");
	}

	@Test
	void aReplacedConnectionCanNoLongerActForTheClient() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient moved = this.clients.open();
		moved.send(resume(ann.resumeSecret()));
		moved.await("resumed");
		// The replaced connection may still deliver a frame or two before its close arrives.
		if (ann.isOpen()) {
			try {
				ann.send(Map.of("type", "dial", "callId", "stale", "to", "0"));
			}
			catch (java.io.IOException closedMeanwhile) {
				// as good as refused
			}
		}
		moved.assertReceivedNo("call-state", (m) -> "stale".equals(m.path("callId").asString()));
	}

	@Test
	void ofTwoResumesOfOneSessionAtOnceExactlyOneWins() throws Exception {
		for (int round = 0; round < 40; round++) {
			String callId = "twice-" + round;
			SignalingClient ann = this.clients.join(LINE);
			SignalingClient bob = this.clients.join(LINE);
			connect(ann, bob, callId);
			// Half the rounds race over a lost connection, half over one the server still thinks alive.
			if (this.random.nextBoolean()) {
				SignalingConnections.cut(this.context, LINE, ann.number());
				ann.awaitClosed();
			}
			List<SignalingClient> racers = List.of(this.clients.open(), this.clients.open());
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<JsonNode>> answers = racers.stream().map((racer) -> CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
					racer.send(resume(ann.resumeSecret()));
					return racer.awaitOneOf("resumed", "resume-refused");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})).toList();
			start.countDown();
			String context = "round " + round + ", seed " + SEED;
			List<String> outcomes = answers.stream()
				.map((answer) -> answer.orTimeout(10, TimeUnit.SECONDS).join().path("type").asString())
				.toList();
			assertThat(outcomes).as(context).containsExactlyInAnyOrder("resumed", "resume-refused");

			SignalingClient winner = racers.get(outcomes.indexOf("resumed"));
			SignalingClient loser = racers.get(outcomes.indexOf("resume-refused"));
			winner.send(offer(callId));
			assertThat(bob.await("sdp").path("callId").asString()).as(context).isEqualTo(callId);
			loser.send(Map.of("type", "connect", "line", LINE));
			assertThat(loser.await("access-granted").path("phoneNumber").asString()).as(context)
				.isNotEqualTo(ann.number());
			bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
			this.clients.closeAll();
		}
	}

}
