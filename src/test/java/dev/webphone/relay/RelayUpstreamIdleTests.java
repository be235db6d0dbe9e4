package dev.webphone.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * A phone system that completes the WebSocket upgrade and then falls silent (no frames, no pongs):
 * the relay closes that upstream connection after the idle timeout, and the browser's with it, even
 * though the browser itself answers every ping.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.ping-interval=200ms", "webphone.signaling.idle-timeout=1s" })
@DirtiesContext
class RelayUpstreamIdleTests {

	static final MuteUpstream upstream = new MuteUpstream();

	@DynamicPropertySource
	static void relayToAMuteUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", () -> "http://localhost:" + upstream.server.getLocalPort());
	}

	@AfterAll
	static void stopTheUpstream() throws IOException {
		upstream.close();
	}

	@LocalServerPort
	int port;

	@Test
	void anUpstreamConnectionThatAnswersNothingIsClosedAfterTheIdleTimeout() throws Exception {
		try (SignalingClient browser = SignalingClient.open(this.port)) {
			browser.send(Map.of("type", "connect", "line", "Webphone1"));
			long start = System.nanoTime();
			int code = browser.awaitClosed().getCode();
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
			assertThat(code).isIn(1001, 1014);
			assertThat(closedAfter).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
			assertThat(upstream.upgraded).as("upstream connections upgraded").isNotEmpty();
		}
	}

	/** Answers the upgrade, then reads and drops everything and never writes again. */
	static final class MuteUpstream implements AutoCloseable {

		private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key:\\s*(\\S+)");

		final ServerSocket server;

		final List<Socket> upgraded = new CopyOnWriteArrayList<>();

		MuteUpstream() {
			try {
				this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			Thread acceptor = new Thread(this::acceptAll, "mute-upstream");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		private void acceptAll() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					Thread reader = new Thread(() -> serve(socket), "mute-upstream-connection");
					reader.setDaemon(true);
					reader.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void serve(Socket socket) {
			try (socket) {
				InputStream in = socket.getInputStream();
				StringBuilder request = new StringBuilder();
				while (!request.toString().endsWith("\r\n\r\n")) {
					int next = in.read();
					if (next < 0) {
						return;
					}
					request.append((char) next);
				}
				Matcher key = KEY.matcher(request);
				if (!key.find()) {
					return;
				}
				String accept = Base64.getEncoder()
					.encodeToString(MessageDigest.getInstance("SHA-1")
						.digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
							.getBytes(StandardCharsets.US_ASCII)));
				socket.getOutputStream()
					.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
							+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				this.upgraded.add(socket);
				while (in.read() >= 0) {
					// silent: takes everything, answers nothing
				}
			}
			catch (Exception ex) {
				// the relay dropped the connection
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
