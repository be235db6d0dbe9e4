package dev.webphone.relay;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relay mode with the phone system down (nothing listens on its port): the server starts anyway,
 * browsers are turned away within seconds, and health says why.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@DirtiesContext
class RelayUpstreamDownTests {

	static final int CLOSED_PORT = closedPort();

	@DynamicPropertySource
	static void relayToNowhere(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", () -> "http://localhost:" + CLOSED_PORT);
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void theServerStartsAndServesThePage() throws Exception {
		assertThat(get("/voicecall").statusCode()).isEqualTo(200);
	}

	@Test
	void aBrowserIsClosedBeforeAccessIsGrantedWithinSeconds() throws Exception {
		long start = System.nanoTime();
		try (SignalingClient client = SignalingClient.open(this.port)) {
			// no send: the connection may already be closed by the time it would go out
			assertThat(client.awaitClosed().getCode()).isEqualTo(1014);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Relay to a closed port: browser closed after " + closedAfter.toMillis() + " ms");
			// The client's own handshake timeout is 5 s; the relay must be quicker than that.
			assertThat(closedAfter).isLessThan(Duration.ofSeconds(4));
		}
	}

	@RepeatedTest(3)
	void theScriptRequestGetsAStandInClientThatIsNeverStoredAndSaysWhy() throws Exception {
		HttpResponse<String> script = get("/WebphoneAPI");
		// A browser would not run the script of an error response, and the page would never learn why.
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/javascript"));
		assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(script.headers().firstValue("X-Webphone-Upstream")).hasValue("unreachable");
		assertThat(script.body()).contains("window.OzWebClient = ", "window.ConnectionState = ",
				"window.CallState = ", "window.CallType = ", "CONNECTION_SUCCESS: \"ACCESS_GRANTED\"")
			.contains("the phone system at http://localhost:" + CLOSED_PORT + " is not reachable (connection refused)");
	}

	@Test
	void healthIsDownAndNamesTheUpstream() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> upstream = get("/actuator/health/upstream");
		assertThat(upstream.statusCode()).isEqualTo(503);
		assertThat(upstream.body()).contains("\"status\":\"DOWN\"").contains("http://localhost:" + CLOSED_PORT);
		assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to report DOWN")
			.isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void theServerStaysLiveButIsNotReady() throws Exception {
		// Restarting the relay would not bring its phone system back: only readiness goes DOWN.
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(503);
		assertThat(readiness.body()).contains("upstream");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
