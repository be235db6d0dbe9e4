package dev.webphone.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.socket.BinaryMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker on the network sends at the signalling endpoint: each gets a clear refusal, costs
 * nobody else anything, and leaves at most a line in the log. Same server configuration as
 * {@link SignalingIntegrationTests}, so the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
@ExtendWith(OutputCaptureExtension.class)
class HostileInputIntegrationTests {

	@LocalServerPort
	int port;

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Test
	void aJsonNullFromAJoinedClientIsMalformedAndTheConnectionStays(CapturedOutput output) throws Exception {
		SignalingClient client = this.clients.join("Webphone1");
		client.sendRaw("null");
		assertThat(client.await("error").path("code").asString()).isEqualTo("MALFORMED");
		client.send(Map.of("type", "dial", "callId", "after-null", "to", "0"));
		client.awaitCallState("after-null", "NOT_FOUND");
		assertThat(output.getAll()).doesNotContain("Unhandled message").doesNotContain("\tat ");
	}

	@Test
	void hostileFramesEachGetAClearErrorAndTheCallCarriesOn(CapturedOutput output) throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		a.send(Map.of("type", "dial", "callId", "hostile", "to", b.number()));
		b.await("incoming");
		b.send(Map.of("type", "accept", "callId", "hostile"));
		a.awaitCallState("hostile", "IN_CALL");
		List<String> frames = List.of("null", "true", "17", "\"text\"", "[]",
				"{\"type\":\"hangup\",\"callId\":1e999999}", "{\"type\":\"hangup\",\"callId\":\"hostile\",\"reason\":true}",
				"{\"type\":\"hangup\",\"callId\":\"hostile\",\"reason\":\"\\udc00\"}",
				"{\"type\":\"transfer\",\"callId\":\"hostile\",\"to\":7}", "{\"type\":\"forward\",\"callId\":\"hostile\"}",
				"{\"type\":\"transfer\",\"callId\":\"hostile\",\"to\":\"" + "1".repeat(65) + "\"}",
				"{\"type\":\"ice\",\"callId\":\"hostile\",\"candidate\":{\"sdpMLineIndex\":" + "9".repeat(999) + "}}",
				"{\"type\":\"sdp\",\"callId\":\"hostile\",\"description\":" + "{\"a\":".repeat(2000) + "1"
						+ "}".repeat(2000) + "}",
				"{\"type\":\"ice\",\"callId\":\"hostile\",\"candidate\":" + "[".repeat(20_000) + "}",
				"{\"type\":\"message\",\"callId\":\"hostile\",\"text\":" + "[".repeat(20_000) + "}",
				"{\"type\":\"message\",\"callId\":\"hostile\",\"text\":\"\\udc00\"}",
				"{\"type\":\"dtmf\",\"callId\":\"hostile\",\"digits\":\"" + "#".repeat(10_000) + "\"}",
				"{\"type\":\"hold\",\"callId\":{\"a\":1}}");
		for (String frame : frames) {
			a.sendRaw(frame);
			assertThat(a.await("error").path("code").asString()).as(frame.substring(0, Math.min(60, frame.length())))
				.isEqualTo("MALFORMED");
		}
		a.session().sendMessage(new BinaryMessage(new byte[] { 0, (byte) 0xff }));
		assertThat(a.await("error").path("code").asString()).isEqualTo("MALFORMED");
		// The call survived all of it, both ways.
		a.send(Map.of("type", "sdp", "callId", "hostile", "description", Map.of("type", "offer", "sdp", "v=0")));
		b.await("sdp");
		b.send(Map.of("type", "hangup", "callId", "hostile"));
		a.awaitCallState("hostile", "COMPLETED");
		assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain(" ERROR ");
	}

	@Test
	void aPropertyNumberTooLargeForADoubleNeverReachesTheOthers() throws Exception {
		SignalingClient watcher = this.clients.join("Webphone1");
		SignalingClient joiner = this.clients.open();
		joiner.sendRaw("{\"type\":\"connect\",\"line\":\"Webphone1\",\"properties\":{\"n\":1e999999}}");
		assertThat(joiner.await("error").path("message").asString()).contains("finite");
		joiner.sendRaw("{\"type\":\"connect\",\"line\":\"Webphone1\",\"properties\":{\"n\":12.5}}");
		joiner.await("access-granted");
		assertThat(watcher.awaitClientState(joiner.number(), "ONLINE")
			.path("properties")
			.path("n")
			.asDouble()).isEqualTo(12.5);
	}

	@Test
	void malformedOriginsAreForbiddenAndLoggedBriefly(CapturedOutput output) throws Exception {
		int before = output.getAll().length();
		for (int i = 0; i < 500; i++) {
			String origin = (i % 2 == 0) ? "http://127.0.0.1:8080.evil.example" : "http://a b";
			assertThat(upgradeStatus(origin)).as(origin).startsWith("HTTP/1.1 403");
		}
		String logged = output.getAll().substring(before);
		assertThat(logged).doesNotContain("\tat ").doesNotContain("Exception");
		assertThat(logged.lines().filter((line) -> line.contains("Origin"))).hasSizeLessThanOrEqualTo(2);
		assertThat(logged.length()).isLessThan(2000);
		// A well-formed origin is still judged as before.
		assertThat(upgradeStatus("http://pages.example:8080")).startsWith("HTTP/1.1 101");
		assertThat(upgradeStatus("http://elsewhere.example")).startsWith("HTTP/1.1 403");
	}

	/** Asks for a WebSocket upgrade with {@code origin}; returns the status line. */
	private String upgradeStatus(String origin) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", this.port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /webphone/ws HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nOrigin: " + origin
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			StringBuilder status = new StringBuilder();
			for (int next = in.read(); next >= 0 && next != '\r'; next = in.read()) {
				status.append((char) next);
			}
			return status.toString();
		}
	}

}
