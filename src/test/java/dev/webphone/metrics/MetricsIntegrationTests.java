package dev.webphone.metrics;

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
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Prometheus scrape and the health endpoint during and after calls driven by real WebSocket
 * clients: each metric moves as the calls do. The lines are this test's own, so no other test's
 * clients show in their gauges; counters are compared with a scrape taken at the start.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.lines[0].name=Metered", "webphone.lines[1].name=Quick",
				"webphone.lines[1].ring-timeout=1s" })
class MetricsIntegrationTests {

	private static final String CLIENTS = "webphone_clients";

	private static final String ACTIVE = "webphone_calls_active";

	private static final String ENDED = "webphone_calls_ended_total";

	private static final String MESSAGES = "webphone_signaling_messages_total";

	private static final String ERRORS = "webphone_signaling_errors_total";

	private static final String SETUP_COUNT = "webphone_call_setup_seconds_count";

	private static final String SETUP_SUM = "webphone_call_setup_seconds_sum";

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<SignalingClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() throws Exception {
		for (SignalingClient client : this.clients) {
			if (client.isOpen()) {
				client.close();
			}
		}
	}

	@Test
	void aCallMovesTheClientCallAndMessageMetrics() throws Exception {
		PrometheusScrape before = scrape();
		assertThat(before.value(CLIENTS, "line=\"Metered\"")).isZero();
		assertThat(before.value(ACTIVE, "state=\"RINGING\"")).isZero();
		assertThat(before.value(ACTIVE, "state=\"IN_CALL\"")).isZero();

		SignalingClient caller = join("Metered");
		SignalingClient callee = join("Metered");
		PrometheusScrape joined = scrape();
		assertThat(joined.value(CLIENTS, "line=\"Metered\"")).isEqualTo(2);
		assertThat(joined.value(CLIENTS, "line=\"Quick\"")).isZero();
		assertThat(delta(before, joined, MESSAGES, "direction=\"in\"")).isEqualTo(2);
		assertThat(delta(before, joined, MESSAGES, "direction=\"out\"")).as("two access-granted at least")
			.isGreaterThanOrEqualTo(2);

		long dialled = System.nanoTime();
		caller.send(Map.of("type", "dial", "callId", "m1", "to", callee.number()));
		caller.awaitCallState("m1", "RINGING");
		callee.await("incoming");
		PrometheusScrape ringing = scrape();
		assertThat(ringing.value(ACTIVE, "state=\"RINGING\"")).isEqualTo(1);
		assertThat(ringing.value(ACTIVE, "state=\"IN_CALL\"")).isZero();

		callee.send(Map.of("type", "accept", "callId", "m1"));
		caller.awaitCallState("m1", "IN_CALL");
		Duration setUpSeenByTest = Duration.ofNanos(System.nanoTime() - dialled);
		callee.awaitCallState("m1", "IN_CALL");
		PrometheusScrape inCall = scrape();
		assertThat(inCall.value(ACTIVE, "state=\"RINGING\"")).isZero();
		assertThat(inCall.value(ACTIVE, "state=\"IN_CALL\"")).isEqualTo(1);
		assertThat(delta(before, inCall, SETUP_COUNT, "")).isEqualTo(1);
		double setUpSeconds = delta(before, inCall, SETUP_SUM, "");
		assertThat(setUpSeconds).as("set-up time, s").isPositive()
			.isLessThanOrEqualTo(setUpSeenByTest.toNanos() / 1e9);
		assertThat(health()).isEqualTo(200);

		caller.send(Map.of("type", "sdp", "callId", "m1", "description", Map.of("type", "offer", "sdp", "v=0")));
		callee.await("sdp");
		caller.send(Map.of("type", "hangup", "callId", "m1"));
		callee.awaitCallState("m1", "COMPLETED");
		caller.awaitCallState("m1", "COMPLETED");
		PrometheusScrape over = scrape();
		assertThat(over.value(ACTIVE, "state=\"IN_CALL\"")).isZero();
		assertThat(over.value(ACTIVE, "state=\"RINGING\"")).isZero();
		assertThat(delta(before, over, ENDED, "outcome=\"COMPLETED\"")).isEqualTo(1);
		assertThat(delta(before, over, ENDED, "outcome=\"REJECTED\"")).isZero();
		// connect x2, dial, accept, sdp, hangup
		assertThat(delta(before, over, MESSAGES, "direction=\"in\"")).isEqualTo(6);
		// access-granted x2, RINGING, incoming, IN_CALL x2, sdp, COMPLETED x2, and presence. A message is
		// counted once it is queued, which may be just after the browser has it.
		await().atMost(SignalingClient.WAIT)
			.untilAsserted(() -> assertThat(delta(before, scrape(), MESSAGES, "direction=\"out\"")).isGreaterThanOrEqualTo(9));

		caller.close();
		callee.close();
		await().atMost(SignalingClient.WAIT)
			.untilAsserted(() -> assertThat(scrape().value(CLIENTS, "line=\"Metered\"")).isZero());
		assertThat(health()).isEqualTo(200);
	}

	@Test
	void aHeldCallIsLiveNotEndedAndIsSetUpOnlyOnce() throws Exception {
		PrometheusScrape before = scrape();
		assertThat(before.value(ACTIVE, "state=\"HOLD\"")).as("registered before any hold").isZero();
		SignalingClient caller = join("Metered");
		SignalingClient callee = join("Metered");
		caller.send(Map.of("type", "dial", "callId", "h1", "to", callee.number()));
		callee.await("incoming");
		callee.send(Map.of("type", "accept", "callId", "h1"));
		caller.awaitCallState("h1", "IN_CALL");

		callee.send(Map.of("type", "hold", "callId", "h1"));
		caller.awaitCallState("h1", "HOLD");
		callee.awaitCallState("h1", "HOLD");
		PrometheusScrape held = scrape();
		assertThat(held.value(ACTIVE, "state=\"HOLD\"")).isEqualTo(1);
		assertThat(held.value(ACTIVE, "state=\"IN_CALL\"")).isZero();
		assertThat(delta(before, held, ENDED, "outcome=\"COMPLETED\"")).as("a held call has not ended").isZero();

		caller.send(Map.of("type", "unhold", "callId", "h1"));
		caller.awaitCallState("h1", "IN_CALL");
		callee.awaitCallState("h1", "IN_CALL");
		PrometheusScrape resumed = scrape();
		assertThat(resumed.value(ACTIVE, "state=\"HOLD\"")).isZero();
		assertThat(resumed.value(ACTIVE, "state=\"IN_CALL\"")).isEqualTo(1);
		assertThat(delta(before, resumed, SETUP_COUNT, "")).as("set up by the answer only").isEqualTo(1);

		caller.send(Map.of("type", "hold", "callId", "h1"));
		callee.awaitCallState("h1", "HOLD");
		callee.send(Map.of("type", "hangup", "callId", "h1"));
		caller.awaitCallState("h1", "COMPLETED");
		PrometheusScrape over = scrape();
		assertThat(over.value(ACTIVE, "state=\"HOLD\"")).isZero();
		assertThat(over.value(ACTIVE, "state=\"IN_CALL\"")).isZero();
		assertThat(delta(before, over, ENDED, "outcome=\"COMPLETED\"")).isEqualTo(1);
		assertThat(delta(before, over, SETUP_COUNT, "")).isEqualTo(1);
	}

	@Test
	void everyOutcomeIsCountedOnce() throws Exception {
		PrometheusScrape before = scrape();
		SignalingClient a = join("Quick");
		SignalingClient b = join("Quick");
		SignalingClient c = join("Quick");

		a.send(Map.of("type", "dial", "callId", "nf", "to", "999999"));
		a.awaitCallState("nf", "NOT_FOUND");

		a.send(Map.of("type", "dial", "callId", "rej", "to", b.number()));
		b.await("incoming");
		b.send(Map.of("type", "reject", "callId", "rej"));
		a.awaitCallState("rej", "REJECTED");

		a.send(Map.of("type", "dial", "callId", "busy1", "to", b.number()));
		b.await("incoming", (m) -> "busy1".equals(m.path("callId").asString()));
		c.send(Map.of("type", "dial", "callId", "busy2", "to", b.number()));
		c.awaitCallState("busy2", "BUSY");
		// the Quick line's 1 s ring time-out ends the ringing call
		a.awaitCallState("busy1", "NOT_ANSWERED");

		PrometheusScrape after = scrape();
		assertThat(delta(before, after, ENDED, "outcome=\"NOT_FOUND\"")).isEqualTo(1);
		assertThat(delta(before, after, ENDED, "outcome=\"REJECTED\"")).isEqualTo(1);
		assertThat(delta(before, after, ENDED, "outcome=\"BUSY\"")).isEqualTo(1);
		assertThat(delta(before, after, ENDED, "outcome=\"NOT_ANSWERED\"")).isEqualTo(1);
		assertThat(delta(before, after, ENDED, "outcome=\"COMPLETED\"")).isZero();
		assertThat(delta(before, after, SETUP_COUNT, "")).as("no call was answered").isZero();
		assertThat(after.value(ACTIVE, "state=\"RINGING\"")).isZero();
		assertThat(after.value(ACTIVE, "state=\"IN_CALL\"")).isZero();
		assertThat(after.value(CLIENTS, "line=\"Quick\"")).isEqualTo(3);
	}

	@Test
	void aForwardOrTransferIsNoEndAndTheCallThatGoesOnIsCountedOnce() throws Exception {
		PrometheusScrape before = scrape();
		SignalingClient a = join("Metered");
		SignalingClient b = join("Metered");
		SignalingClient c = join("Metered");
		a.send(Map.of("type", "dial", "callId", "moved", "to", b.number()));
		b.await("incoming");
		b.send(Map.of("type", "forward", "callId", "moved", "to", c.number()));
		c.await("incoming");
		PrometheusScrape forwarded = scrape();
		assertThat(forwarded.value(ACTIVE, "state=\"RINGING\"")).as("one call, ringing at c").isEqualTo(1);

		c.send(Map.of("type", "accept", "callId", "moved"));
		a.awaitCallState("moved", "IN_CALL");
		c.send(Map.of("type", "transfer", "callId", "moved", "to", b.number()));
		b.await("incoming", (m) -> "moved".equals(m.path("callId").asString()));
		PrometheusScrape transferred = scrape();
		assertThat(transferred.value(ACTIVE, "state=\"RINGING\"")).isEqualTo(1);
		assertThat(transferred.value(ACTIVE, "state=\"IN_CALL\"")).isZero();

		b.send(Map.of("type", "accept", "callId", "moved"));
		a.awaitCallState("moved", "IN_CALL");
		a.send(Map.of("type", "hangup", "callId", "moved"));
		b.awaitCallState("moved", "COMPLETED");
		PrometheusScrape over = scrape();
		assertThat(over.value(ACTIVE, "state=\"RINGING\"")).isZero();
		assertThat(over.value(ACTIVE, "state=\"IN_CALL\"")).isZero();
		assertThat(delta(before, over, ENDED, "outcome=\"COMPLETED\"")).as("the mover's COMPLETED is no end of the call")
			.isEqualTo(1);
		assertThat(delta(before, over, SETUP_COUNT, "")).as("answered at c, then at b").isEqualTo(2);
	}

	@Test
	void refusedMessagesAreCountedByErrorCode() throws Exception {
		PrometheusScrape before = scrape();
		SignalingClient unjoined = SignalingClient.open(this.port);
		this.clients.add(unjoined);
		unjoined.sendRaw("not json");
		unjoined.await("error", (m) -> "MALFORMED".equals(m.path("code").asString()));
		unjoined.send(Map.of("type", "hangup", "callId", "x"));
		unjoined.await("error", (m) -> "NOT_CONNECTED".equals(m.path("code").asString()));
		SignalingClient joined = join("Metered");
		joined.send(Map.of("type", "accept", "callId", "nothing"));
		joined.await("error", (m) -> "UNKNOWN_CALL".equals(m.path("code").asString()));

		PrometheusScrape after = scrape();
		assertThat(delta(before, after, ERRORS, "code=\"MALFORMED\"")).isEqualTo(1);
		assertThat(delta(before, after, ERRORS, "code=\"NOT_CONNECTED\"")).isEqualTo(1);
		assertThat(delta(before, after, ERRORS, "code=\"UNKNOWN_CALL\"")).isEqualTo(1);
		assertThat(delta(before, after, ERRORS, "code=\"RATE_LIMITED\"")).isZero();
		assertThat(delta(before, after, MESSAGES, "direction=\"in\"")).isEqualTo(4);
	}

	private SignalingClient join(String line) throws Exception {
		SignalingClient client = SignalingClient.joined(this.port, line);
		this.clients.add(client);
		return client;
	}

	private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

	private PrometheusScrape scrape() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return PrometheusScrape.parse(response.body());
	}

	private int health() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.body()).contains("\"status\":\"UP\"");
		return response.statusCode();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
