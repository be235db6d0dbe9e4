package dev.webphone.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server's HTTP surface tells browsers and what it refuses: no TRACE, a Content-Security-Policy
 * whose nonce the tutorial page's inline script carries, no framing, no referrer, and no host name it
 * is not known by (DNS rebinding). The same server as the other default-configuration tests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HttpSurfaceIntegrationTests {

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void traceIsNotAllowed() throws Exception {
		for (String path : new String[] { "/", "/voicecall", "/actuator/health", "/nowhere" }) {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(url(path)).method("TRACE", HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(405);
			assertThat(response.body()).as(path).doesNotContain("TRACE " + path);
		}
	}

	@Test
	void theVoiceCallPageAllowsOnlyItsOwnScriptsByNonce() throws Exception {
		HttpResponse<String> page = get("/voicecall");
		String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
		Matcher nonce = Pattern.compile("'nonce-([A-Za-z0-9+/=]+)'").matcher(policy);
		assertThat(nonce.find()).as(policy).isTrue();
		assertThat(page.body()).contains("nonce=\"" + nonce.group(1) + "\"");
		assertThat(policy).contains("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
			.doesNotContain("'unsafe-inline' 'unsafe-eval'", "script-src *");
		assertThat(get("/voicecall").headers().firstValue("Content-Security-Policy").orElseThrow())
			.as("a new nonce for every response")
			.doesNotContain(nonce.group(1));
	}

	@Test
	void ourOwnPagesGetAStrictPolicyWithNoInlineScriptOrStyleAtAll() throws Exception {
		for (String path : new String[] { "/phone", "/videocall", "/" }) {
			HttpResponse<String> page = get(path);
			assertThat(page.statusCode()).isEqualTo(200);
			String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
			assertThat(policy).as(path)
				.contains("script-src 'self';", "style-src 'self';", "object-src 'none'", "frame-ancestors 'none'")
				.doesNotContain("nonce-", "unsafe-eval", "unsafe-inline", "unsafe-hashes");
			assertThat(page.body()).as(path).doesNotContain("<script>", "style=\"", "onclick=");
		}
	}

	@Test
	void pagesMayNotBeFramedAndSendNoReferrer() throws Exception {
		for (String path : new String[] { "/", "/voicecall" }) {
			HttpResponse<String> page = get(path);
			assertThat(page.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
			assertThat(page.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
			assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
		}
	}

	@Test
	void theScriptStaysLoadableFromOtherOrigins() throws Exception {
		HttpResponse<String> script = get("/WebphoneAPI");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/javascript"));
		assertThat(script.headers().firstValue("Cross-Origin-Resource-Policy")).isEmpty();
	}

	@Test
	void aRequestForAnUnknownHostNameIsRefused() throws Exception {
		assertThat(statusFor("GET /voicecall", "evil.example:" + this.port, null)).isEqualTo(403);
		// What DNS rebinding would send: the attacker's name as Host, and the matching Origin.
		assertThat(statusFor("GET /webphone/ws", "evil.example:" + this.port, "http://evil.example:" + this.port))
			.isEqualTo(403);
	}

	@Test
	void addressesAndLocalhostAreAlwaysKnownHostNames() throws Exception {
		assertThat(statusFor("GET /voicecall", "127.0.0.1:" + this.port, null)).isEqualTo(200);
		assertThat(statusFor("GET /voicecall", "localhost:" + this.port, null)).isEqualTo(200);
		assertThat(statusFor("GET /voicecall", "[::1]:" + this.port, null)).isEqualTo(200);
		assertThat(statusFor("GET /webphone/ws", "localhost:" + this.port, "http://localhost:" + this.port))
			.isEqualTo(101);
	}

	private int statusFor(String requestLine, String host, String origin) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			boolean webSocket = requestLine.contains("/webphone/ws");
			String request = requestLine + " HTTP/1.1\r\nHost: " + host + "\r\n"
					+ ((origin != null) ? "Origin: " + origin + "\r\n" : "")
					+ (webSocket ? "Upgrade: websocket\r\nConnection: Upgrade\r\n"
							+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
							: "Connection: close\r\n")
					+ "\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			return Integer.parseInt(status.split(" ")[1]);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
