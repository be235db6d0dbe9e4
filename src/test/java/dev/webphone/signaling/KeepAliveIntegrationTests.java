package dev.webphone.signaling;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle browsers stay connected because the server pings them: here the idle time-out is far shorter
 * than the time the client stays silent.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.ping-interval=200ms", "webphone.signaling.idle-timeout=800ms" })
class KeepAliveIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aSilentClientThatAnswersPingsStaysConnected() throws Exception {
		try (SignalingClient client = SignalingClient.joined(this.port, "Webphone1")) {
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(client::isOpen);
			client.send(java.util.Map.of("type", "dial", "callId", "still-here", "to", "0"));
			assertThat(client.awaitCallState("still-here", "NOT_FOUND")).isNotNull();
		}
	}

}
