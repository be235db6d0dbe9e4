package dev.webphone.relay;

import java.time.Duration;
import java.util.Map;

import dev.webphone.signaling.SignalingClient;
import dev.webphone.signaling.StalledBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A quiet browser stays connected through the relay well past the idle timeout, because the relay
 * pings both the browser and the upstream and both answer; a browser that answers nothing is closed,
 * and its upstream connection with it. The timeouts are scaled down from 25 s and 70 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.ping-interval=200ms", "webphone.signaling.idle-timeout=1s" })
@DirtiesContext
class RelayKeepAliveTests {

	@RegisterExtension
	static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
	}

	@LocalServerPort
	int port;

	@Test
	void aQuietBrowserAndItsUpstreamConnectionOutliveTheIdleTimeout() throws Exception {
		try (SignalingClient quiet = SignalingClient.joined(this.port, "Webphone1")) {
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.until(() -> quiet.isOpen() && upstream.connectionCount() == 1);
			quiet.send(Map.of("type", "connect", "line", "Webphone1"));
			assertThat(quiet.await("error").path("code").asString()).isEqualTo("ALREADY_CONNECTED");
		}
	}

	@Test
	void aBrowserThatAnswersNoPingIsClosedAfterTheIdleTimeoutAndItsCallEnds() throws Exception {
		// The caller talks to the phone system directly: only the silent browser goes through the relay.
		try (SignalingClient caller = SignalingClient.joined(upstream.port(), "Webphone1");
				StalledBrowser silent = StalledBrowser.inCallWith(caller, "went-silent", this.port)) {
			// The relay closes the upstream connection as silent, and the phone system ends the call so.
			assertThat(caller.awaitCallState("went-silent", "COMPLETED").path("reason").asString())
				.isEqualTo("the other party stopped responding");
			assertThat(silent.readUntilClosed()).as("the silent browser's connection was closed").isTrue();
			await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 1);
		}
	}

}
