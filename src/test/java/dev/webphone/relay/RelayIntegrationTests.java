package dev.webphone.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.webphone.line.Switchboard;
import dev.webphone.signaling.OpenClients;
import dev.webphone.signaling.SignalingClient;
import dev.webphone.signaling.StalledBrowser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Relay mode against a real phone system (a second instance of this server): browsers on the relay
 * join, see each other, call and hang up exactly as on the phone system itself, each over its own
 * upstream connection that ends with the browser's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.allowed-origins=http://pages.example:8080",
				"management.endpoint.health.show-details=always" })
@DirtiesContext
class RelayIntegrationTests {

	@RegisterExtension
	static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
	}

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	private final HttpClient http = HttpClient.newHttpClient();

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@AfterEach
	void closeClients() throws Exception {
		this.clients.closeAll();
		await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 0);
	}



	@Test
	void theEmbeddedLineIsNotRunning() {
		assertThat(this.context.getBeansOfType(Switchboard.class)).isEmpty();
		assertThat(this.context.getBeansOfType(RelayHandler.class)).hasSize(1);
	}

	@Test
	void browsersJoinSeeEachOtherCallAndHangUpThroughTheRelay() throws Exception {
		SignalingClient ann = this.clients.open();
		ann.send(Map.of("type", "connect", "line", "Webphone1", "properties", Map.of("nickname", "Ann")));
		ann.await("access-granted");
		SignalingClient bob = this.clients.open();
		bob.send(Map.of("type", "connect", "line", "Webphone1"));
		bob.await("access-granted");
		assertThat(bob.firstMessage().path("type").asString()).isEqualTo("access-granted");
		JsonNode annSeenByBob = bob.awaitClientState(ann.number(), "ONLINE");
		assertThat(bob.number()).isNotEqualTo(ann.number());
		assertThat(upstream.connectionCount()).isEqualTo(2);
		assertThat(annSeenByBob.path("status").asString()).isEqualTo("ONLINE");
		assertThat(annSeenByBob.path("properties").path("nickname").asString()).isEqualTo("Ann");
		ann.awaitClientState(bob.number(), "ONLINE");

		ann.send(Map.of("type", "dial", "callId", "c1", "to", bob.number()));
		ann.awaitCallState("c1", "RINGING");
		assertThat(bob.await("incoming").path("from").asString()).isEqualTo(ann.number());
		bob.send(Map.of("type", "accept", "callId", "c1"));
		assertThat(ann.awaitCallState("c1", "IN_CALL").path("offerer").asBoolean()).isTrue();
		assertThat(bob.awaitCallState("c1", "IN_CALL").path("offerer").asBoolean()).isFalse();

		// Passed through unchanged, whitespace and all: the relay never re-encodes a frame.
		String offer = "{\"type\":\"sdp\",  \"callId\":\"c1\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0 \\u00e9\"}}";
		ann.sendRaw(offer);
		assertThat(bob.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 \u00e9");
		bob.send(Map.of("type", "ice", "callId", "c1", "candidate", Map.of("candidate", "candidate:1 1 udp 1 10.0.0.1 9 typ host")));
		assertThat(ann.await("ice").path("candidate").path("candidate").asString()).startsWith("candidate:1");

		bob.send(Map.of("type", "hangup", "callId", "c1"));
		ann.awaitCallState("c1", "COMPLETED");
		bob.awaitCallState("c1", "COMPLETED");
	}

	@Test
	void twoHundredBrowsersAtOnceMakeAHundredCallsEachOnItsOwnUpstreamConnection() throws Exception {
		int browsers = 200;
		URI endpoint = URI.create("ws://localhost:" + this.port + "/webphone/ws");
		StandardWebSocketClient webSockets = new StandardWebSocketClient();
		// Jetty's client container starts on its first connection, and not safely from several at once.
		SignalingClient.open(webSockets, endpoint, new WebSocketHttpHeaders()).close();
		await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 0);
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			long start = System.nanoTime();
			List<Future<SignalingClient>> joining = new ArrayList<>();
			for (int i = 0; i < browsers; i++) {
				joining.add(pool.submit(() -> {
					SignalingClient client = SignalingClient.open(webSockets, endpoint, new WebSocketHttpHeaders());
					client.send(Map.of("type", "connect", "line", "Webphone1"));
					client.await("access-granted");
					return client;
				}));
			}
			List<SignalingClient> crowd = new ArrayList<>();
			for (Future<SignalingClient> client : joining) {
				crowd.add(client.get(60, TimeUnit.SECONDS));
			}
			crowd.forEach(this.clients::add);
			long joined = System.nanoTime();
			assertThat(upstream.connectionCount()).isEqualTo(browsers);
			assertThat(crowd.stream().map(SignalingClient::number).distinct()).hasSize(browsers);

			List<Future<?>> calls = new ArrayList<>();
			for (int i = 0; i < browsers / 2; i++) {
				SignalingClient caller = crowd.get(i);
				SignalingClient callee = crowd.get(browsers / 2 + i);
				String callId = "crowd" + i;
				calls.add(pool.submit(() -> {
					caller.send(Map.of("type", "dial", "callId", callId, "to", callee.number()));
					caller.awaitCallState(callId, "RINGING");
					callee.await("incoming", (m) -> callId.equals(m.path("callId").asString()));
					callee.send(Map.of("type", "accept", "callId", callId));
					caller.awaitCallState(callId, "IN_CALL");
					callee.awaitCallState(callId, "IN_CALL");
					caller.send(Map.of("type", "sdp", "callId", callId, "description",
							Map.of("type", "offer", "sdp", "v=0 " + callId)));
					assertThat(callee.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 " + callId);
					callee.send(Map.of("type", "hangup", "callId", callId));
					caller.awaitCallState(callId, "COMPLETED");
					callee.awaitCallState(callId, "COMPLETED");
					return null;
				}));
			}
			for (Future<?> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}
			long called = System.nanoTime();
			System.out.printf("Relay: %d browsers joined in %d ms; %d calls set up, negotiated and hung up in %d ms%n",
					browsers, (joined - start) / 1_000_000, browsers / 2, (called - joined) / 1_000_000);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void whatABrowserSendsBeforeTheUpstreamAnswersArrivesInOrder() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "Webphone1"));
		for (int i = 1; i <= 5; i++) {
			client.sendRaw("{\"type\":\"marker" + i + "\"}");
		}
		client.await("access-granted");
		for (int i = 1; i <= 5; i++) {
			String marker = "marker" + i;
			client.await("error", (m) -> m.path("message").asString().contains(marker));
		}
	}

	@Test
	void theUpstreamsRefusalAndCloseReachTheBrowser() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "NoSuchLine"));
		assertThat(client.await("access-denied").path("reason").asString()).contains("NoSuchLine");
		assertThat(client.awaitClosed().getCode()).isEqualTo(1008);
	}

	@Test
	void aBrowserThatLeavesTakesItsUpstreamConnectionWithIt() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		assertThat(upstream.connectionCount()).isEqualTo(3);
		// A client that comes and goes within one presence window is never announced: Bob first hears of Ann.
		bob.awaitClientState(ann.number(), "ONLINE");
		ann.close();
		await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 2);
		bob.awaitClientState(ann.number(), "OFFLINE");
		bob.close();
		cid.close();
		await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 0);
		await().atMost(SignalingClient.WAIT)
			.until(() -> this.context.getBean(RelayHandler.class).connectionCount() == 0);
	}

	@Test
	void aBrowserThatLeavesMidCallEndsTheCallForTheOtherParty() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		ann.send(Map.of("type", "dial", "callId", "c2", "to", bob.number()));
		bob.await("incoming");
		bob.send(Map.of("type", "accept", "callId", "c2"));
		ann.awaitCallState("c2", "IN_CALL");
		bob.session().close();
		ann.awaitCallState("c2", "COMPLETED");
	}

	@Test
	void pagesOnOtherOriginsAreRefusedUnlessAllowed() throws Exception {
		URI endpoint = URI.create("ws://localhost:" + this.port + "/webphone/ws");
		WebSocketHttpHeaders stranger = new WebSocketHttpHeaders();
		stranger.setOrigin("http://evil.example");
		assertThatException().isThrownBy(() -> SignalingClient.open(endpoint, stranger));

		// The upstream allows no other origins: the relay does not pass the page's origin on.
		WebSocketHttpHeaders allowed = new WebSocketHttpHeaders();
		allowed.setOrigin("http://pages.example:8080");
		SignalingClient client = SignalingClient.open(endpoint, allowed);
		this.clients.add(client);
		client.send(Map.of("type", "connect", "line", "Webphone1"));
		client.await("access-granted");
	}

	@Test
	void framesLargerThanTheLimitCloseTheBrowserAndItsUpstreamConnection() throws Exception {
		SignalingClient client = this.clients.join("Webphone1");
		client.sendRaw("{\"type\":\"marker\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}");
		assertThat(client.awaitClosed().getCode()).isEqualTo(1009);
		await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 0);
	}

	@Test
	void theScriptIsTheUpstreamsScriptServedAsOurs() throws Exception {
		HttpResponse<String> relayed = get(URI.create("http://localhost:" + this.port + "/WebphoneAPI"), null);
		HttpResponse<String> original = get(URI.create(upstream.url() + "/WebphoneAPI"), null);
		assertThat(relayed.statusCode()).isEqualTo(200);
		assertThat(relayed.body()).isEqualTo(original.body()).contains("OzWebClient");
		assertThat(relayed.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/javascript"));
		String etag = relayed.headers().firstValue("ETag").orElseThrow();
		assertThat(get(URI.create("http://localhost:" + this.port + "/WebphoneAPI"), etag).statusCode())
			.isEqualTo(304);
	}

	@Test
	void theVoiceCallPageLoadsTheScriptFromThisServer() throws Exception {
		HttpResponse<String> page = get(URI.create("http://localhost:" + this.port + "/voicecall"), null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("src=\"/WebphoneAPI\"");
	}

	@Test
	void healthReportsTheUpstreamUp() throws Exception {
		HttpResponse<String> health = get(URI.create("http://localhost:" + this.port + "/actuator/health/upstream"),
				null);
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").contains(upstream.url());
	}

	private HttpResponse<String> get(URI uri, String ifNoneMatch) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aBrowserThatStopsReadingIsDroppedAtOnceAndItsCallEnds() throws Exception {
		RelayHandler relay = this.context.getBean(RelayHandler.class);
		// The caller talks to the phone system directly, so that only the stalled browser's side of
		// the relay is under test (a caller flooding through the relay could overrun its own side).
		SignalingClient caller = this.clients.add(SignalingClient.joined(upstream.port(), "Webphone1"));
		try (StalledBrowser stalled = StalledBrowser.inCallWith(caller, "flood", this.port)) {
			StalledBrowser.flood(caller, "flood");
			caller.awaitCallState("flood", "COMPLETED");
			// Gone from the relay too, not waiting for a close handshake it will never answer.
			await().atMost(SignalingClient.WAIT).until(() -> relay.connectionCount() == 0);
		}
	}


	/**
	 * Joins racing a TCP reset, at every moment from "connect not yet read" to "upstream connection
	 * being opened" to "joined upstream": whichever way each race goes, no upstream connection stays.
	 */
	@Test
	void browsersThatJoinAndResetAtOnceLeaveNoUpstreamConnection() throws Exception {
		RelayHandler relay = this.context.getBean(RelayHandler.class);
		long seed = System.nanoTime();
		Random random = new Random(seed);
		int joins = 600;
		ExecutorService browsers = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < joins; i++) {
				// 0 to 3 ms: around the time the relay needs to open the upstream connection
				long delay = random.nextBoolean() ? 0 : random.nextInt(3_000_000);
				done.add(browsers.submit(() -> {
					ResettingBrowser.joinAndReset(this.port, "Webphone1", delay);
					return null;
				}));
			}
			for (Future<?> join : done) {
				join.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			browsers.shutdownNow();
		}
		await().atMost(SignalingClient.WAIT)
			.untilAsserted(() -> assertThat(upstream.connectionCount())
				.as("upstream connections left by %d joins-then-resets (seed %d)", joins, seed)
				.isZero());
		assertThat(relay.connectionCount()).as("relayed connections (seed %d)", seed).isZero();
		assertThat(relay.upstreamBacklog()).isZero();
	}

}
