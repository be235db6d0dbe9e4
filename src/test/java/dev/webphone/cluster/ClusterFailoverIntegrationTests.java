package dev.webphone.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
		this.cluster = new Cluster(this.redis, Map.of());
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

}
