package dev.webphone.signaling;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser that stops reading costs the server a bounded amount of memory and nobody else any time:
 * it is disconnected once too much waits for it, and the threads that send to it never wait.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.send-buffer-limit=64KB", "webphone.lines[0].name=Webphone1",
				"webphone.lines[0].presence=false" })
class SlowBrowserIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aBrowserThatStopsReadingIsDisconnectedWithoutHoldingUpItsCaller() throws Exception {
		try (SignalingClient caller = SignalingClient.joined(this.port, "Webphone1");
				SignalingClient bystander = SignalingClient.joined(this.port, "Webphone1");
				StalledBrowser stalled = StalledBrowser.inCallWith(caller, "flood", this.port)) {
			StalledBrowser.flood(caller, "flood");
			assertThat(caller.awaitCallState("flood", "COMPLETED").path("reason").asString()).contains("disconnected");
			// The caller's connection, and everyone else's, carried on throughout.
			caller.send(Map.of("type", "dial", "callId", "next", "to", bystander.number()));
			caller.awaitCallState("next", "RINGING");
			bystander.await("incoming");
		}
	}

}
