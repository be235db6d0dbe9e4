package dev.webphone.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Losing part of a cluster: an instance that browsers are connected to, and Redis itself. Each test
 * starts its own Redis and instances, since it breaks them.
 */
class ClusterFailoverIntegrationTests {

	private static final String LINE = "Webphone1";

	/** Short, so that a session never resumed leaves within a test. */
	private static final Duration GRACE = Duration.ofSeconds(10);

	/** Long enough for a lease to run out and the next leader to serve (lease 3s, see {@link Cluster}). */
	private static final Duration TAKE_OVER = Duration.ofSeconds(30);

	private RedisServer redis;

	private Cluster cluster;

	private final List<SignalingClient> clients = new ArrayList<>();

	@BeforeAll
	static void requireRedis() {
		RedisServer.requireInstalled();
	}

	@BeforeEach
	void startCluster() {
		this.redis = RedisServer.start();
		this.cluster = new Cluster(this.redis, Map.of("webphone.signaling.resume-grace", GRACE.toSeconds() + "s"));
	}

	@AfterEach
	void stopCluster() throws Exception {
		for (SignalingClient client : this.clients) {
			client.close();
		}
		this.cluster.close();
		this.redis.close();
	}

	private SignalingClient join(int instance) throws Exception {
		return track(SignalingClient.joined(this.cluster.port(instance), LINE));
	}

	private SignalingClient track(SignalingClient client) {
		this.clients.add(client);
		return client;
	}

	@Test
	void aBrowserWhoseInstanceStopsResumesOnAnotherWithItsNumberAndItsCall() throws Exception {
		int leader = this.cluster.start("leader");
		this.cluster.awaitLeader();
		int edge = this.cluster.start("edge");
		assertThat(this.cluster.awaitLeader()).isEqualTo(leader);
		SignalingClient ann = join(edge);
		SignalingClient bob = join(leader);
		ann.send(Map.of("type", "dial", "callId", "kept", "to", bob.number()));
		bob.await("incoming");
		bob.send(Map.of("type", "accept", "callId", "kept"));
		ann.awaitCallState("kept", "IN_CALL");
		bob.awaitCallState("kept", "IN_CALL");

		this.cluster.stop(edge);
		assertThat(ann.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		SignalingClient back = track(SignalingClient.open(this.cluster.port(leader)));
		back.send(Map.of("type", "resume", "secret", ann.resumeSecret()));
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.path("phoneNumber").asString()).isEqualTo(ann.number());
		assertThat(resumed.path("call").path("callId").asString()).isEqualTo("kept");
		assertThat(resumed.path("call").path("state").asString()).isEqualTo("IN_CALL");

		// The caller restarts ICE; the call never left IN_CALL for the other party.
		back.send(Map.of("type", "sdp", "callId", "kept", "description", Map.of("type", "offer", "sdp", "v=0 again")));
		assertThat(bob.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 again");
		bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
	}

	@Test
	void aCallerWhoseInstanceStopsWhileItRingsResumesElsewhereAndTheCallIsAnswered() throws Exception {
		int leader = this.cluster.start("leader");
		this.cluster.awaitLeader();
		int edge = this.cluster.start("edge");
		SignalingClient ann = join(edge);
		SignalingClient bob = join(leader);
		ann.send(Map.of("type", "dial", "callId", "ringing", "to", bob.number()));
		ann.awaitCallState("ringing", "RINGING");
		bob.await("incoming");

		this.cluster.stop(edge);
		ann.awaitClosed();
		SignalingClient back = track(SignalingClient.open(this.cluster.port(leader)));
		back.send(Map.of("type", "resume", "secret", ann.resumeSecret()));
		assertThat(back.await("resumed").path("call").path("state").asString()).isEqualTo("RINGING");
		bob.send(Map.of("type", "accept", "callId", "ringing"));
		back.awaitCallState("ringing", "IN_CALL");
		bob.awaitCallState("ringing", "IN_CALL");
	}

	@Test
	void aBrowserWhoseInstanceIsKilledResumesOnAnotherAndOneThatNeverComesBackIsLetGo() throws Exception {
		int leader = this.cluster.start("leader");
		this.cluster.awaitLeader();
		int edgePort = Cluster.freePort();
		Process edge = this.cluster.startProcess("doomed", edgePort);
		SignalingClient ann = track(SignalingClient.joined(edgePort, LINE));
		SignalingClient bob = join(leader);
		SignalingClient cat = track(SignalingClient.joined(edgePort, LINE));
		ann.send(Map.of("type", "dial", "callId", "survives", "to", bob.number()));
		bob.await("incoming");
		bob.send(Map.of("type", "accept", "callId", "survives"));
		ann.awaitCallState("survives", "IN_CALL");
		bob.awaitCallState("survives", "IN_CALL");

		Cluster.kill(edge);
		ann.awaitClosed();
		SignalingClient back = track(SignalingClient.open(this.cluster.port(leader)));
		back.send(Map.of("type", "resume", "secret", ann.resumeSecret()));
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.path("phoneNumber").asString()).isEqualTo(ann.number());
		assertThat(resumed.path("call").path("state").asString()).isEqualTo("IN_CALL");
		back.send(Map.of("type", "sdp", "callId", "survives", "description", Map.of("type", "offer", "sdp", "v=0 again")));
		assertThat(bob.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 again");

		// Cat never comes back: the leader learns that its instance is gone and lets it go.
		bob.awaitClientState(cat.number(), "OFFLINE");
		bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
	}

	@Test
	void theLeaderKilledMidCallBothPartiesResumeWithTheirNumbersAndTheirCallAndOneNeverBackLeaves() throws Exception {
		int leaderPort = Cluster.freePort();
		Process leader = this.cluster.startProcess("doomed-leader", leaderPort);
		int one = this.cluster.start("one");
		this.cluster.awaitLeader(one, "doomed-leader");
		int two = this.cluster.start("two");
		this.cluster.awaitLeader(two, "doomed-leader");
		// Ann on an edge, Bob on the leader itself; Cat on an edge, Dan on the leader, who never comes back.
		SignalingClient ann = join(one);
		SignalingClient bob = track(SignalingClient.joined(leaderPort, LINE));
		connect(ann, bob, "kept");
		SignalingClient cat = join(two);
		SignalingClient dan = track(SignalingClient.joined(leaderPort, LINE));
		connect(cat, dan, "abandoned");

		Cluster.kill(leader);
		// Bob's and Dan's connections break; the edges close Ann's and Cat's once the lease has run out.
		bob.awaitClosed();
		assertThat(ann.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		SignalingClient bobBack = resume(one, bob);
		SignalingClient annBack = resume(two, ann);
		assertResumedInCall(annBack, ann, "kept", "IN_CALL");
		assertResumedInCall(bobBack, bob, "kept", "IN_CALL");
		// The caller makes the offers and restarts ICE; the call is up on both sides.
		annBack.send(Map.of("type", "sdp", "callId", "kept", "description", Map.of("type", "offer", "sdp", "v=0 again")));
		assertThat(bobBack.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 again");
		bobBack.send(Map.of("type", "hangup", "callId", "kept"));
		annBack.awaitCallState("kept", "COMPLETED");

		// Cat resumes, Dan never does: Dan leaves after the grace period and Cat's call ends with a reason.
		cat.awaitClosed();
		SignalingClient catBack = resume(one, cat);
		assertResumedInCall(catBack, cat, "abandoned", "IN_CALL");
		JsonNode ended = catBack.await("call-state", GRACE.multipliedBy(2));
		assertThat(ended.path("state").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("reason").asString()).isEqualTo("the other party did not reconnect in time");
		SignalingClient danLate = track(SignalingClient.open(this.cluster.port(two)));
		danLate.send(Map.of("type", "resume", "secret", dan.resumeSecret()));
		danLate.await("resume-refused");
		// And the numbers handed out now are none of the restored ones.
		SignalingClient newcomer = join(two);
		assertThat(newcomer.number()).isNotIn(ann.number(), bob.number(), cat.number(), dan.number());
	}

	@Test
	void theLeaderStoppedMidCallBothPartiesResumeOnTheNextWithTheirCall() throws Exception {
		int leader = this.cluster.start("leader");
		this.cluster.awaitLeader();
		int edge = this.cluster.start("edge");
		assertThat(this.cluster.awaitLeader()).isEqualTo(leader);
		SignalingClient ann = join(edge);
		SignalingClient bob = join(leader);
		connect(ann, bob, "kept");
		try (RedisState state = new RedisState(this.redis)) {
			await().untilAsserted(() -> assertThat(state.session(LINE + "/" + ann.number())).contains("secretHash"));
			assertThat(state.session(LINE + "/" + ann.number())).as("the secret is never written in clear")
				.doesNotContain(ann.resumeSecret());
		}

		this.cluster.stop(leader);
		assertThat(bob.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		assertThat(ann.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		SignalingClient annBack = resume(edge, ann);
		SignalingClient bobBack = resume(edge, bob);
		assertResumedInCall(annBack, ann, "kept", "IN_CALL");
		assertResumedInCall(bobBack, bob, "kept", "IN_CALL");
		bobBack.send(Map.of("type", "message", "callId", "kept", "text", "still here"));
		assertThat(annBack.await("message").path("text").asString()).isEqualTo("still here");
		annBack.send(Map.of("type", "hangup", "callId", "kept"));
		bobBack.awaitCallState("kept", "COMPLETED");
	}

	/**
	 * A leader paused past its lease (SIGSTOP, as a long GC pause would) wakes up with a ring time-out
	 * overdue for a call its successor has restored and connected meanwhile: it ends the call in its
	 * own memory, but Redis refuses the write, so the call stays in the line's state as the new
	 * leader wrote it.
	 */
	@Test
	void aLeaderPausedPastItsLeaseCannotOverwriteTheNextLeadersState() throws Exception {
		this.cluster.close();
		Duration ring = Duration.ofSeconds(8);
		this.cluster = new Cluster(this.redis, Map.of("webphone.lines[0].name", LINE, "webphone.lines[0].ring-timeout",
				ring.toSeconds() + "s"));
		int oldPort = Cluster.freePort();
		Process old = this.cluster.startProcess("paused", oldPort);
		int next = this.cluster.start("next");
		this.cluster.awaitLeader(next, "paused");
		SignalingClient cat = join(next);
		SignalingClient dan = join(next);
		cat.send(Map.of("type", "dial", "callId", "fenced", "to", dan.number()));
		dan.await("incoming");
		long dialled = System.nanoTime();

		Cluster.pause(old);
		cat.awaitClosed();
		dan.awaitClosed();
		SignalingClient catBack = resume(next, cat);
		SignalingClient danBack = resume(next, dan);
		assertResumedInCall(danBack, dan, "fenced", "RINGING");
		danBack.send(Map.of("type", "accept", "callId", "fenced"));
		catBack.awaitCallState("fenced", "IN_CALL");
		String key = LINE + "/" + cat.number() + "/fenced";
		try (RedisState state = new RedisState(this.redis)) {
			await().untilAsserted(() -> assertThat(state.call(key)).contains("\"IN_CALL\""));
			// The old leader's ring time-out is overdue when it wakes.
			await().atMost(TAKE_OVER).until(() -> System.nanoTime() - dialled > ring.toNanos());
			Cluster.proceed(old);
			await().atMost(TAKE_OVER).until(() -> this.cluster.log(old).contains("no longer leads"));
			assertThat(state.call(key)).as("the call as the new leader wrote it").contains("\"IN_CALL\"");
		}
		catBack.send(Map.of("type", "message", "callId", "fenced", "text", "after the pause"));
		assertThat(danBack.await("message").path("text").asString()).isEqualTo("after the pause");
	}

	/** Dials and answers: the call is IN_CALL on both sides. */
	private static void connect(SignalingClient caller, SignalingClient callee, String callId) throws Exception {
		caller.send(Map.of("type", "dial", "callId", callId, "to", callee.number()));
		callee.await("incoming");
		callee.send(Map.of("type", "accept", "callId", callId));
		caller.awaitCallState(callId, "IN_CALL");
		callee.awaitCallState(callId, "IN_CALL");
	}

	/**
	 * Resumes {@code lost}'s session on instance {@code instance}, as a browser does once its
	 * connection is gone; the resume waits at the instance until a leader serves.
	 */
	private SignalingClient resume(int instance, SignalingClient lost) throws Exception {
		SignalingClient back = track(SignalingClient.open(this.cluster.port(instance)));
		back.send(Map.of("type", "resume", "secret", lost.resumeSecret()));
		back.await("resumed", TAKE_OVER);
		return back;
	}

	private static void assertResumedInCall(SignalingClient back, SignalingClient lost, String callId, String state) {
		JsonNode resumed = back.firstMessage();
		assertThat(resumed.path("type").asString()).isEqualTo("resumed");
		assertThat(resumed.path("phoneNumber").asString()).isEqualTo(lost.number());
		assertThat(resumed.path("call").path("callId").asString()).isEqualTo(callId);
		assertThat(resumed.path("call").path("state").asString()).isEqualTo(state);
	}

	@Test
	void withoutRedisEveryInstanceReportsItAndAllRecoverWhenItIsBack() throws Exception {
		int one = this.cluster.start("one");
		int two = this.cluster.start("two");
		this.cluster.awaitLeader();
		assertThat(health(one)).contains("\"UP\"");
		SignalingClient early = join(two);
		SignalingClient quiet = join(one);

		this.redis.stop();
		// A browser's message that cannot reach the leader: its connection is closed at once, with a
		// reason, and the page reconnects later.
		early.send(Map.of("type", "dial", "callId", "lost", "to", "1"));
		CloseStatus closed = early.awaitClosed();
		assertThat(closed.getCode()).isEqualTo(1013);
		assertThat(closed.getReason()).contains("unavailable");
		// One that sends nothing is not left connected to a session that is gone: told to come back.
		assertThat(quiet.awaitClosed().getCode()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
		await().untilAsserted(() -> {
			assertThat(health(one)).contains("\"DOWN\"");
			assertThat(health(two)).contains("\"DOWN\"");
		});
		// The leader steps down once two thirds of its lease have passed without a confirmed renewal.
		await().untilAsserted(() -> assertThat(this.cluster.leads(one) || this.cluster.leads(two))
			.as("nobody leads without Redis").isFalse());

		this.redis.launch();
		this.cluster.awaitLeader();
		await().untilAsserted(() -> {
			assertThat(health(one)).contains("\"UP\"");
			assertThat(health(two)).contains("\"UP\"");
		});
		SignalingClient a = join(one);
		SignalingClient b = join(two);
		a.send(Map.of("type", "dial", "callId", "after", "to", b.number()));
		b.await("incoming");
		a.awaitCallState("after", "RINGING");
	}

	private String health(int instance) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.cluster.port(instance) + "/actuator/health"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

	/** Reads the line's state as the leader wrote it to Redis. */
	private static final class RedisState implements AutoCloseable {

		private final io.lettuce.core.RedisClient client;

		private final io.lettuce.core.api.StatefulRedisConnection<String, String> connection;

		RedisState(RedisServer redis) {
			this.client = io.lettuce.core.RedisClient.create(redis.url());
			this.connection = this.client.connect();
		}

		String session(String key) {
			return String.valueOf(this.connection.sync().hget(RedisLineJournal.SESSIONS, key));
		}

		String call(String key) {
			return String.valueOf(this.connection.sync().hget(RedisLineJournal.CALLS, key));
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown();
		}

	}

}
