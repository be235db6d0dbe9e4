package dev.webphone.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Relay mode in front of a phone system that is not this project ({@link StandInPhoneSystem}): the
 * configured paths reach it unchanged, HTTP and WebSocket, and nothing else of it is reachable.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.relay.http-paths=/pbx/client.js,/pbx/assets/**",
				"webphone.relay.websocket-paths=/pbx/socket,/pbx/rooms/**", "webphone.relay.script-path=/pbx/client.js",
				"webphone.relay.max-response-size=512KB" })
@DirtiesContext
class RelayedPathsIntegrationTests {

	@RegisterExtension
	static final StandInPhoneSystem upstream = StandInPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheStandIn(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private final WebSocketClient webSockets = new WebSocketClient();

	@BeforeEach
	void startWebSocketClient() throws Exception {
		this.webSockets.start();
	}

	@AfterEach
	void stopWebSocketClient() throws Exception {
		this.webSockets.stop();
	}

	@Test
	void theScriptPathServesTheStandInsScript() throws Exception {
		HttpResponse<String> script = get("/pbx/client.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).isEqualTo(StandInPhoneSystem.SCRIPT);
	}

	@Test
	void aListedHttpPathIsRelayedWithItsQueryStatusBodyAndContentHeadersOnly() throws Exception {
		HttpResponse<String> asset = this.http.send(request("/pbx/assets/logo.txt?size=2&x=%20y")
			.header("Accept", "text/plain")
			.header("Cookie", "ours=not-for-the-phone-system")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asset.statusCode()).isEqualTo(200);
		assertThat(asset.body())
			.isEqualTo("asset /pbx/assets/logo.txt query size=2&x=%20y accept text/plain cookie null");
		assertThat(asset.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
		assertThat(asset.headers().firstValue("ETag")).hasValue("\"asset-1\"");
		assertThat(asset.headers().firstValue("Cache-Control")).hasValue("max-age=60");
		assertThat(asset.headers().map()).doesNotContainKeys("set-cookie", "x-pbx-internal");

		HttpResponse<String> head = this.http.send(request("/pbx/assets/logo.txt").method("HEAD",
				HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.body()).isEmpty();
		assertThat(upstream.requests()).contains("HEAD /pbx/assets/logo.txt");
	}

	@Test
	void theUpstreamsErrorsAndRedirectsWithinItAreRelayedAsTheyCame() throws Exception {
		HttpResponse<String> missing = get("/pbx/assets/missing");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).isEqualTo("no such asset");
		HttpResponse<String> moved = get("/pbx/assets/moved");
		assertThat(moved.statusCode()).isEqualTo(302);
		assertThat(moved.headers().firstValue("Location")).hasValue("/pbx/assets/here");
	}

	@Test
	void anAnswerLargerThanTheLimitIsABadGatewayFromUs() throws Exception {
		HttpResponse<String> huge = get("/pbx/assets/huge");
		assertThat(huge.statusCode()).isEqualTo(502);
		assertThat(huge.body()).contains("larger than this server relays");
	}

	@Test
	void unlistedPathsOfTheUpstreamAreNotFoundHereAndNeverReachIt() throws Exception {
		for (String path : new String[] { "/pbx/admin", "/pbx/client.js.bak", "/WebphoneAPI", "/pbx/other/x" }) {
			assertThat(get(path).statusCode()).as(path).isEqualTo(404);
		}
		// Ways out of a listed prefix: refused or resolved here, never passed on.
		for (String path : new String[] { "/pbx/assets/../admin", "/pbx/assets/%2e%2e/admin",
				"/pbx/assets/..%2fadmin", "/pbx/assets/%2E%2E%2Fadmin", "/pbx/assets/..;/admin",
				"/pbx/assets/.%2e/admin" }) {
			assertThat(get(path).statusCode()).as(path).isIn(400, 404);
		}
		assertThat(this.http.send(request("/pbx/assets/x").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
				HttpResponse.BodyHandlers.ofString()).statusCode()).as("POST").isIn(404, 405);
		assertThat(upstream.requests()).noneMatch((request) -> request.contains("admin")
				|| request.contains(".bak") || request.contains("/WebphoneAPI") || request.contains("/pbx/other")
				|| request.startsWith("POST"));
	}

	@Test
	void aListedWebSocketPathIsRelayedFrameByFrameWithItsQuery() throws Exception {
		Frames frames = new Frames();
		Session session = this.webSockets
			.connect(frames, URI.create("ws://localhost:" + this.port + "/pbx/socket?room=7"))
			.get(10, TimeUnit.SECONDS);
		try {
			session.sendText("hello", Callback.NOOP);
			assertThat(frames.next()).isEqualTo("pbx says hello (query room=7)");
			session.sendText("again", Callback.NOOP);
			assertThat(frames.next()).isEqualTo("pbx says again (query room=7)");
			session.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), Callback.NOOP);
			assertThat(frames.next()).isEqualTo("binary [3, 2, 1]");
		}
		finally {
			session.close();
		}
	}

	@Test
	void aWebSocketPatternIsRelayedButNoPathThatLeavesIt() throws Exception {
		Frames frames = new Frames();
		Session room = this.webSockets.connect(frames, URI.create("ws://localhost:" + this.port + "/pbx/rooms/7"))
			.get(10, TimeUnit.SECONDS);
		try {
			room.sendText("hi", Callback.NOOP);
			assertThat(frames.next()).isEqualTo("pbx says hi (query null)");
		}
		finally {
			room.close();
		}
		for (String path : new String[] { "/pbx/rooms/%2e%2e/%2e%2e/admin", "/pbx/rooms/..%2f..%2fadmin",
				"/pbx/rooms/x;/../../admin" }) {
			Frames refused = new Frames();
			try {
				Session session = this.webSockets.connect(refused, URI.create("ws://localhost:" + this.port + path))
					.get(10, TimeUnit.SECONDS);
				assertThat(refused.awaitClose()).as(path).isEqualTo(1008);
				session.close();
			}
			catch (ExecutionException upgradeRefused) {
				// refused before the upgrade: as good
			}
		}
		assertThat(upstream.requests()).filteredOn((request) -> request.startsWith("WS "))
			.containsExactly("WS /pbx/rooms/7");
	}

	@Test
	void theDefaultSignallingPathIsNotRelayedWhenNotListed() {
		assertThatException().isThrownBy(() -> this.webSockets
			.connect(new Frames(), URI.create("ws://localhost:" + this.port + "/webphone/ws"))
			.get(10, TimeUnit.SECONDS));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

	/** What arrives on a relayed WebSocket, text as is and binary as its bytes. */
	public static final class Frames implements Session.Listener.AutoDemanding {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@Override
		public void onWebSocketText(String text) {
			this.received.add(text);
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			this.received.add("binary " + java.util.Arrays.toString(bytes));
			callback.succeed();
		}

		private final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

		@Override
		public void onWebSocketClose(int code, String reason) {
			this.closes.add(code);
		}

		int awaitClose() throws InterruptedException {
			Integer code = this.closes.poll(10, TimeUnit.SECONDS);
			assertThat(code).as("closed within 10 s").isNotNull();
			return code;
		}

		String next() throws InterruptedException {
			String frame = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 10 s").isNotNull();
			return frame;
		}

	}

}
