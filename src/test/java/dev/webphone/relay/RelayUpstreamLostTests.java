package dev.webphone.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The phone system goes away in the middle of a call: every browser relayed to it is closed, which
 * the client reports as {@code CONNECTION_CLOSED} and which ends its call; health turns DOWN.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-components=always")
@DirtiesContext
class RelayUpstreamLostTests {

	@RegisterExtension
	static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
		// Health must notice the loss quickly in this test; the script cache is what it reuses.
		registry.add("webphone.relay.script-cache-time", () -> "200ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	RelayHandler relay;

	@Test
	void browsersInACallAreClosedWhenThePhoneSystemStops() throws Exception {
		assertThat(health()).isEqualTo(200);
		try (SignalingClient ann = SignalingClient.joined(this.port, "Webphone1");
				SignalingClient bob = SignalingClient.joined(this.port, "Webphone1")) {
			ann.send(Map.of("type", "dial", "callId", "lost1", "to", bob.number()));
			bob.await("incoming");
			bob.send(Map.of("type", "accept", "callId", "lost1"));
			ann.awaitCallState("lost1", "IN_CALL");
			bob.awaitCallState("lost1", "IN_CALL");

			long start = System.nanoTime();
			upstream.close();
			int annClosedWith = ann.awaitClosed().getCode();
			int bobClosedWith = bob.awaitClosed().getCode();
			System.out.println("Phone system stopped: both browsers closed after "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
			// Going away (1001) when it shuts down cleanly; 1014 when the connection just breaks.
			assertThat(annClosedWith).isIn(1001, 1014);
			assertThat(bobClosedWith).isIn(1001, 1014);
		}
		assertThat(this.relay.connectionCount()).isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> health() == 503);

		// New browsers are turned away at once now.
		try (SignalingClient late = SignalingClient.open(this.port)) {
			// no send: the connection may already be closed by the time it would go out
			assertThat(late.awaitClosed().getCode()).isEqualTo(1014);
		}
	}

	private int health() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health/upstream"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
