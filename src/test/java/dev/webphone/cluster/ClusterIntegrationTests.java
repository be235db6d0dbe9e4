package dev.webphone.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real instances on one real Redis serve one line: browsers on any instance reach each other
 * exactly as on one instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIntegrationTests {

	private static final String LINE = "Webphone1";

	private RedisServer redis;

	private Cluster cluster;

	private final List<SignalingClient> clients = new ArrayList<>();

	@BeforeAll
	void startCluster() {
		RedisServer.requireInstalled();
		this.redis = RedisServer.start();
		this.cluster = new Cluster(this.redis, Map.of());
		this.cluster.start("one");
		this.cluster.start("two");
		this.cluster.start("three");
		this.cluster.awaitLeader();
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@AfterEach
	void closeClients() throws Exception {
		for (SignalingClient client : this.clients) {
			client.close();
		}
		this.clients.clear();
	}

	private SignalingClient join(int instance) throws Exception {
		SignalingClient client = SignalingClient.joined(this.cluster.port(instance), LINE);
		this.clients.add(client);
		return client;
	}

	@ParameterizedTest(name = "caller on instance {0}, callee on instance {1}")
	@CsvSource({ "0,0", "0,1", "1,0", "1,1", "1,2", "2,1", "2,0", "0,2", "2,2" })
	void aCallConnectsWhereverItsPartiesAre(int callerInstance, int calleeInstance) throws Exception {
		SignalingClient a = join(callerInstance);
		SignalingClient b = join(calleeInstance);
		a.send(dial("placed", b.number()));
		assertThat(a.awaitCallState("placed", "RINGING").path("otherParty").asString()).isEqualTo(b.number());
		assertThat(b.await("incoming").path("from").asString()).isEqualTo(a.number());
		b.send(Map.of("type", "accept", "callId", "placed"));
		assertThat(a.awaitCallState("placed", "IN_CALL").path("offerer").asBoolean()).isTrue();
		b.awaitCallState("placed", "IN_CALL");
		a.send(Map.of("type", "sdp", "callId", "placed", "description", Map.of("type", "offer", "sdp", "v=0 a")));
		assertThat(b.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 a");
		b.send(Map.of("type", "sdp", "callId", "placed", "description", Map.of("type", "answer", "sdp", "v=0 b")));
		assertThat(a.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 b");
		b.send(Map.of("type", "hangup", "callId", "placed"));
		a.awaitCallState("placed", "COMPLETED");
		b.awaitCallState("placed", "COMPLETED");
	}

	@Test
	void presenceCrossesInstances() throws Exception {
		SignalingClient a = join(0);
		SignalingClient b = join(1);
		SignalingClient c = join(2);
		// Joining, each hears who is online on every instance (in one frame); a, there first, hears of
		// the others as they come (b and c may come in one frame: a waits for the one naming c).
		b.awaitClientState(a.number(), "ONLINE");
		c.awaitClientState(b.number(), "ONLINE");
		a.awaitClientState(c.number(), "ONLINE");
		a.close();
		b.awaitClientState(a.number(), "OFFLINE");
	}

	@Test
	void numbersAreUniqueAcrossInstances() throws Exception {
		List<String> numbers = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			numbers.add(join(i % 3).number());
		}
		assertThat(numbers).doesNotHaveDuplicates();
	}

	@Test
	void busyAndNotFoundAcrossInstances() throws Exception {
		SignalingClient a = join(0);
		SignalingClient b = join(1);
		SignalingClient c = join(2);
		a.send(dial("ab", b.number()));
		b.await("incoming");
		b.send(Map.of("type", "accept", "callId", "ab"));
		a.awaitCallState("ab", "IN_CALL");
		c.send(dial("cb", b.number()));
		c.awaitCallState("cb", "BUSY");
		b.assertReceivedNo("incoming", (m) -> "cb".equals(m.path("callId").asString()));
		c.send(dial("nobody", "999999"));
		c.awaitCallState("nobody", "NOT_FOUND");
	}

	@Test
	void twoClientsOnDifferentInstancesDiallingEachOtherAtOnceEndInOneConnectedCall() throws Exception {
		for (int round = 0; round < 30; round++) {
			SignalingClient a = join(0);
			SignalingClient b = join(1);
			String fromA = "a" + round;
			String fromB = "b" + round;
			CompletableFuture<Void> aDials = CompletableFuture.runAsync(() -> send(a, dial(fromA, b.number())));
			CompletableFuture<Void> bDials = CompletableFuture.runAsync(() -> send(b, dial(fromB, a.number())));
			CompletableFuture.allOf(aDials, bDials).join();
			JsonNode aConnected = a.awaitCallState(fromA, "IN_CALL");
			JsonNode bConnected = b.awaitCallState(fromB, "IN_CALL");
			assertThat(aConnected.path("offerer").asBoolean()).as("round %d", round)
				.isNotEqualTo(bConnected.path("offerer").asBoolean());
			a.send(Map.of("type", "hangup", "callId", fromA));
			b.awaitCallState(fromB, "COMPLETED");
			closeClients();
		}
	}

	private static Map<String, String> dial(String callId, String to) {
		return Map.of("type", "dial", "callId", callId, "to", to);
	}

	private static void send(SignalingClient client, Map<String, ?> message) {
		try {
			client.send(message);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
