package dev.webphone.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A phone system that accepts TCP connections but never answers (a hung process, a half-open
 * firewall): the connect timeout still closes the browser's connection, rather than leaving it
 * waiting; what browsers send meanwhile is held to one total; and once a working phone system is back
 * on that port, the script is served again without a restart.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.relay.connect-timeout=2s", "webphone.relay.max-upstream-backlog=2MB" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayUpstreamSilentTests {

	private static final long BACKLOG_LIMIT = DataSize.ofMegabytes(2).toBytes();

	/** Counted as 40,000 bytes each; ten of them stay under one browser's own 512 KB. */
	private static final String LARGE_FRAME = "{\"type\":\"x\",\"pad\":\"" + "x".repeat(19_980) + "\"}";

	private static final int FRAMES_PER_BROWSER = 10;

	/** 40 browsers times 400,000 bytes: 16 MB, eight times the backlog limit. */
	private static final int BROWSERS = 40;

	/** Never accepted: the kernel completes the handshakes in the backlog, and nobody reads. */
	static final ServerSocket silent = listen();

	@DynamicPropertySource
	static void relayToASilentServer(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", () -> "http://localhost:" + silent.getLocalPort());
	}

	@AfterAll
	static void closeTheSilentServer() throws Exception {
		silent.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	RelayHandler relay;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	@Order(1)
	void aBrowserIsClosedOnceTheConnectTimeoutPasses() throws Exception {
		long start = System.nanoTime();
		try (SignalingClient client = SignalingClient.open(this.port)) {
			client.send(Map.of("type", "connect", "line", "Webphone1"));
			assertThat(client.awaitClosed().getCode()).isEqualTo(1014);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Relay to a silent server: browser closed after " + closedAfter.toMillis() + " ms");
			assertThat(closedAfter).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
		}
	}

	/**
	 * Every browser fills its own allowance while the phone system is silent: without a total, that was
	 * the per-browser limit times every browser, and enough browsers exhausted the heap.
	 */
	@Test
	@Order(2)
	void whatBrowsersSendToASilentPhoneSystemIsHeldToOneTotal() throws Exception {
		AtomicLong mostQueued = new AtomicLong();
		AtomicBoolean flooding = new AtomicBoolean(true);
		Thread watch = new Thread(() -> {
			while (flooding.get()) {
				mostQueued.accumulateAndGet(this.relay.upstreamBacklog(), Math::max);
				Thread.onSpinWait();
			}
		}, "backlog-watch");
		watch.start();
		List<SignalingClient> browsers = new ArrayList<>();
		try {
			for (int i = 0; i < BROWSERS; i++) {
				SignalingClient browser = SignalingClient.open(this.port);
				browsers.add(browser);
				try {
					for (int frame = 0; frame < FRAMES_PER_BROWSER; frame++) {
						browser.sendRaw(LARGE_FRAME);
					}
				}
				catch (IOException | IllegalStateException closedAlready) {
					// turned away while sending: what the limit is for
				}
			}
			mostQueued.accumulateAndGet(this.relay.upstreamBacklog(), Math::max);
			List<CloseStatus> closes = new ArrayList<>();
			for (SignalingClient browser : browsers) {
				closes.add(browser.awaitClosed());
			}
			flooding.set(false);
			watch.join();
			System.out.println("Silent phone system, " + BROWSERS + " browsers sending " + FRAMES_PER_BROWSER * 40
					+ " KB each: most queued for it " + mostQueued.get() + " bytes (limit " + BACKLOG_LIMIT + ")");
			assertThat(mostQueued.get()).as("bytes queued for the phone system at most")
				.isPositive()
				.isLessThanOrEqualTo(BACKLOG_LIMIT);
			assertThat(closes).as("browsers turned away because the backlog was full")
				.anyMatch((close) -> close.getCode() == 1013 && close.getReason().startsWith("relay busy"));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.relay.upstreamBacklog() == 0);
		}
		finally {
			flooding.set(false);
			for (SignalingClient browser : browsers) {
				browser.close();
			}
		}
	}

	/** A script fetch from the silent phone system fails; that failure must not outlive the silence. */
	@Test
	@Order(3)
	void theScriptIsServedAgainOnceAWorkingPhoneSystemReplacesTheSilentOne() throws Exception {
		assertThat(get("/WebphoneAPI").headers().firstValue("X-Webphone-Upstream")).hasValue("unreachable");
		assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
		int upstreamPort = silent.getLocalPort();
		silent.close();
		try (UpstreamPhoneSystem upstream = UpstreamPhoneSystem.startOn(upstreamPort)) {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> script = get("/WebphoneAPI");
				assertThat(script.statusCode()).isEqualTo(200);
				assertThat(script.headers().firstValue("X-Webphone-Upstream")).isEmpty();
				assertThat(script.body()).startsWith("/* WebphoneAPI: the Webphone client. */");
			});
			assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static ServerSocket listen() {
		try {
			return new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
