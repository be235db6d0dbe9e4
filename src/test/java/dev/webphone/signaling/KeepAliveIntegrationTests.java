package dev.webphone.signaling;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle browsers stay connected because the server pings them and they answer; a connection that
 * answers nothing is closed after the idle time-out, which the server's own pings do not reset. The
 * time-outs are scaled down from 25 s and 70 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.ping-interval=200ms", "webphone.signaling.idle-timeout=800ms" })
class KeepAliveIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void aSilentClientThatAnswersPingsStaysConnected() throws Exception {
		try (SignalingClient client = SignalingClient.joined(this.port, "Webphone1")) {
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(client::isOpen);
			client.send(java.util.Map.of("type", "dial", "callId", "still-here", "to", "0"));
			assertThat(client.awaitCallState("still-here", "NOT_FOUND")).isNotNull();
		}
	}

	@Test
	void aClientThatAnswersNoPingIsClosedAfterTheIdleTimeoutAndItsCallEnds() throws Exception {
		try (SignalingClient caller = SignalingClient.joined(this.port, "Webphone1");
				StalledBrowser silent = StalledBrowser.inCallWith(caller, "went-silent", this.port)) {
			long silentSince = System.nanoTime();
			assertThat(caller.awaitCallState("went-silent", "COMPLETED").path("reason").asString())
				.isEqualTo(SessionResumption.SILENT);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - silentSince);
			assertThat(closedAfter).isBetween(Duration.ofMillis(600), Duration.ofSeconds(3));
			await().atMost(SignalingClient.WAIT).until(() -> SignalingConnections.count(this.context) == 1);
			assertThat(silent.readUntilClosed()).as("the silent client's connection was closed").isTrue();
			// The caller, who answers pings, is still there.
			caller.send(java.util.Map.of("type", "dial", "callId", "after", "to", "0"));
			assertThat(caller.awaitCallState("after", "NOT_FOUND")).isNotNull();
		}
	}

}
