package dev.webphone.signaling;

import java.util.Map;

import dev.webphone.edge.WebSocketEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The memory held for slow readers is bounded in total, not only per connection: when a send would
 * spend more than the server-wide budget, the connection furthest behind is cut, even when the send
 * that overran it is for someone else. The per-connection limit is set far above the budget here, so
 * that only the budget can cut.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.send-buffer-budget=200KB", "webphone.signaling.send-buffer-limit=8MB",
				"webphone.signaling.rate-burst=100000", "webphone.signaling.rate-per-second=100000",
				"webphone.lines[0].name=Webphone1", "webphone.lines[0].presence=false" })
class SendBufferBudgetIntegrationTests {

	private static final long BUDGET = 200 * 1024;

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@LocalServerPort
	int port;

	@Autowired
	WebSocketEdge edge;

	@Test
	void theConnectionFurthestBehindIsCutWhenASendToAnotherOverrunsTheBudget() throws Exception {
		SignalingClient caller = this.clients.join("Webphone1");
		SignalingClient bystander = this.clients.join("Webphone1");
		SignalingClient reader = this.clients.join("Webphone1");
		bystander.send(Map.of("type", "dial", "callId", "fast", "to", reader.number()));
		reader.await("incoming");
		reader.send(Map.of("type", "accept", "callId", "fast"));
		bystander.awaitCallState("fast", "IN_CALL");
		try (StalledBrowser stalled = StalledBrowser.inCallWith(caller, "slow", this.port)) {
			// Fill what the stalled browser leaves unread to just under the budget: big steps while the
			// socket buffers take it all, then 20 KB at a time.
			String big = "v=0 " + "y".repeat(58_000);
			String small = "v=0 " + "x".repeat(20_000);
			while (this.edge.unsentTotal() < BUDGET - 50 * 1024) {
				String chunk = (this.edge.unsentTotal() == 0) ? big : small;
				caller.send(Map.of("type", "sdp", "callId", "slow", "description", Map.of("type", "offer", "sdp", chunk)));
				// The error answering this comes after the session description was queued.
				caller.assertReceivedNo("call-state", (m) -> "COMPLETED".equals(m.path("state").asString()));
			}
			assertThat(this.edge.unsentTotal()).isLessThanOrEqualTo(BUDGET);
			// 58 KB for the reader, who reads everything, overruns the budget.
			bystander.send(Map.of("type", "sdp", "callId", "fast", "description", Map.of("type", "offer", "sdp", big)));
			assertThat(reader.await("sdp").path("description").path("sdp").asString()).isEqualTo(big);
			assertThat(caller.awaitCallState("slow", "COMPLETED").path("reason").asString()).contains("disconnected");
			await().atMost(SignalingClient.WAIT).until(() -> this.edge.unsentTotal() < 64 * 1024);
			// The reader and its caller are still connected and in their call.
			reader.send(Map.of("type", "ice", "callId", "fast"));
			bystander.await("ice");
			assertThat(reader.isOpen() && bystander.isOpen()).isTrue();
		}
	}

}
