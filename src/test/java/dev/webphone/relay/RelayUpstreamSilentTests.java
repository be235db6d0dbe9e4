package dev.webphone.relay;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A phone system that accepts TCP connections but never answers (a hung process, a half-open
 * firewall): the connect timeout still closes the browser's connection, rather than leaving it
 * waiting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "webphone.relay.connect-timeout=2s")
@DirtiesContext
class RelayUpstreamSilentTests {

	/** Never accepted: the kernel completes the handshakes in the backlog, and nobody reads. */
	static final ServerSocket silent = listen();

	@DynamicPropertySource
	static void relayToASilentServer(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", () -> "http://localhost:" + silent.getLocalPort());
	}

	@AfterAll
	static void closeTheSilentServer() throws Exception {
		silent.close();
	}

	@LocalServerPort
	int port;

	@Test
	void aBrowserIsClosedOnceTheConnectTimeoutPasses() throws Exception {
		long start = System.nanoTime();
		try (SignalingClient client = SignalingClient.open(this.port)) {
			client.send(Map.of("type", "connect", "line", "Webphone1"));
			assertThat(client.awaitClosed().getCode()).isEqualTo(1014);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Relay to a silent server: browser closed after " + closedAfter.toMillis() + " ms");
			assertThat(closedAfter).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
		}
	}

	private static ServerSocket listen() {
		try {
			return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
