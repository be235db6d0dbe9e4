package dev.webphone.signaling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.webphone.line.Switchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What hostile or unlucky clients found over real connections: joins cut off by a TCP reset, and a
 * dial that reuses the id of the caller's live call. Same server configuration as
 * {@link SignalingIntegrationTests}, so both share one context.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
class LineIntegrityIntegrationTests {

	private static final int RESET_JOINS = 2_000;

	@LocalServerPort
	int port;

	@Autowired
	Switchboard switchboard;

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Test
	void joinsCutOffByATcpResetLeaveNoClientsAndTheLineKeepsAdmitting() throws Exception {
		long seed = Long.getLong("reset.seed", System.nanoTime());
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> resets = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				Random random = new Random(seed + t);
				resets.add(threads.submit(() -> {
					for (int i = 0; i < RESET_JOINS / 8; i++) {
						joinAndReset("Twenty", random.nextBoolean());
					}
					return null;
				}));
			}
			for (Future<?> reset : resets) {
				reset.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		// A connection reset after the join keeps its number for a resume, for the grace period (3 s
		// here): then the client leaves and its seat is free.
		await("clients left on the line after the resets (seed " + seed + ")")
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.switchboard.clientCount("Twenty") == 0);
		for (int i = 0; i < 20; i++) {
			this.clients.join("Twenty");
		}
		assertThat(this.switchboard.clientCount("Twenty")).isEqualTo(20);
	}

	/**
	 * Opens a WebSocket by hand, sends {@code connect} and resets the connection at once (SO_LINGER
	 * 0), either straight after the upgrade request or once the upgrade is answered.
	 */
	private void joinAndReset(String line, boolean awaitUpgrade) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", this.port), 5_000);
			socket.setSoTimeout(5_000);
			byte[] key = new byte[16];
			new Random().nextBytes(key);
			String upgrade = "GET /webphone/ws HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(key) + "\r\nOrigin: http://localhost:" + this.port + "\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
			if (awaitUpgrade) {
				assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
			}
			out.write(maskedText("{\"type\":\"connect\",\"line\":\"" + line + "\"}"));
			out.flush();
			socket.setSoLinger(true, 0);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** A client-to-server text frame (masked, as RFC 6455 requires), shorter than 126 bytes. */
	private static byte[] maskedText(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] mask = { 0x11, 0x22, 0x33, 0x44 };
		byte[] frame = new byte[2 + 4 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(mask, 0, frame, 2, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		return frame;
	}

	@Test
	void aDialReusingTheIdOfTheLiveCallIsRefusedAndLeavesThatCallAsItWas() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		SignalingClient c = this.clients.join("Webphone1");
		a.send(Map.of("type", "dial", "callId", "live", "to", b.number()));
		a.awaitCallState("live", "RINGING");
		b.await("incoming", (m) -> "live".equals(m.path("callId").asString()));
		assertRefusedWithoutTouchingTheLiveCall(a, c);
		b.send(Map.of("type", "accept", "callId", "live"));
		a.awaitCallState("live", "IN_CALL");
		b.awaitCallState("live", "IN_CALL");
		assertRefusedWithoutTouchingTheLiveCall(a, c);
		// The callee reusing the id it was called by is refused the same way.
		b.send(Map.of("type", "dial", "callId", "live", "to", c.number()));
		assertThat(b.await("error").path("code").asString()).isEqualTo("INVALID_STATE");
		a.send(Map.of("type", "sdp", "callId", "live", "description", Map.of("type", "offer", "sdp", "v=0")));
		b.await("sdp", (m) -> "live".equals(m.path("callId").asString()));
		a.send(Map.of("type", "hangup", "callId", "live"));
		a.awaitCallState("live", "COMPLETED");
		b.awaitCallState("live", "COMPLETED");
		c.assertReceivedNo("incoming");
	}

	private void assertRefusedWithoutTouchingTheLiveCall(SignalingClient a, SignalingClient c) throws Exception {
		for (String to : List.of("999999", a.number(), c.number(), "")) {
			a.send(Map.of("type", "dial", "callId", "live", "to", to));
			JsonNode error = a.await("error");
			assertThat(error.path("code").asString()).as("dial to '%s'", to).isEqualTo("INVALID_STATE");
			assertThat(error.has("callId")).as("an error naming the live call would end it on the page").isFalse();
		}
		a.assertReceivedNo("call-state", (m) -> "live".equals(m.path("callId").asString())
				&& !"RINGING".equals(m.path("state").asString()) && !"IN_CALL".equals(m.path("state").asString()));
	}

}
