package dev.webphone.signaling;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

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
		try (StalledBrowser stalled = new StalledBrowser(this.port);
				SignalingClient caller = SignalingClient.joined(this.port, "Webphone1");
				SignalingClient bystander = SignalingClient.joined(this.port, "Webphone1")) {
			stalled.send("{\"type\":\"connect\",\"line\":\"Webphone1\"}");
			String number = JsonMapper.builder().build().readTree(stalled.receive()).path("phoneNumber").asString();
			caller.send(Map.of("type", "dial", "callId", "flood", "to", number));
			caller.awaitCallState("flood", "RINGING");
			stalled.send("{\"type\":\"accept\",\"callId\":\"flood\"}");
			caller.awaitCallState("flood", "IN_CALL");
			// From here on the stalled browser reads nothing. 150 relayed descriptions of 50,000
			// characters are far more than the socket buffers and the 64 KB limit can take.
			String sdp = "v=0 " + "x".repeat(50_000);
			for (int i = 0; i < 150; i++) {
				caller.send(Map.of("type", "sdp", "callId", "flood", "description", Map.of("type", "offer", "sdp", sdp)));
			}
			assertThat(caller.awaitCallState("flood", "COMPLETED").path("reason").asString()).contains("disconnected");
			// The caller's connection, and everyone else's, carried on throughout.
			caller.send(Map.of("type", "dial", "callId", "next", "to", bystander.number()));
			caller.awaitCallState("next", "RINGING");
			bystander.await("incoming");
		}
	}

}
