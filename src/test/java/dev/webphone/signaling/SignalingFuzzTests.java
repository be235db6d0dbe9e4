package dev.webphone.signaling;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.webphone.edge.WebSocketEdge;
import dev.webphone.signaling.HostileMessages.Frame;
import dev.webphone.signaling.HostileMessages.Kind;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fuzz run: 100,000 malformed and hostile frames from a seeded generator ({@link HostileMessages}),
 * sent over 40 real connections (opened again whenever a frame closes one) while two other clients
 * stay in a call. Afterwards the server is healthy, the call is intact, the heap after a full GC is
 * back within {@value #HEAP_MARGIN_MB} MB of where it was after a warm-up round, and the log holds no
 * stack trace and at most {@value #MAX_WARNINGS} warnings.
 *
 * <p>The seed is printed; {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.frames=N} changes its
 * length. The per-connection rate limit is raised so that the frames reach the parser.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.signaling.rate-burst=1000000", "webphone.signaling.rate-per-second=1000000" })
@ExtendWith(OutputCaptureExtension.class)
class SignalingFuzzTests {

	static final int HEAP_MARGIN_MB = 32;

	static final int MAX_WARNINGS = 5;

	private static final int CONNECTIONS = 40;

	private static final int SENDERS = 8;

	@LocalServerPort
	int port;

	@Autowired
	WebSocketEdge edge;

	private final WebSocketClient client = new WebSocketClient();

	private final Map<Integer, LongAdder> closeCodes = CountingListener.newCloseCodes();

	private final LongAdder replies = new LongAdder();

	private final LongAdder accessDenied = new LongAdder();

	private final LongAdder connectionsOpened = new LongAdder();

	@BeforeEach
	void startClient() throws Exception {
		this.client.setMaxTextMessageSize(1024 * 1024);
		this.client.start();
	}

	@AfterEach
	void stopClient() throws Exception {
		this.client.stop();
	}

	@Test
	void hostileFramesLeaveTheServerHealthyAndACallIntact(CapturedOutput output) throws Exception {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		int frames = Integer.getInteger("fuzz.frames", 100_000);
		System.out.println("Fuzz seed " + seed + " (replay with -Dfuzz.seed=" + seed + "), " + frames + " frames");
		try (SignalingClient ann = SignalingClient.joined(this.port, "Webphone1");
				SignalingClient bob = SignalingClient.joined(this.port, "Webphone1")) {
			ann.send(Map.of("type", "dial", "callId", "keep", "to", bob.number()));
			bob.await("incoming");
			bob.send(Map.of("type", "accept", "callId", "keep"));
			ann.awaitCallState("keep", "IN_CALL");
			bob.awaitCallState("keep", "IN_CALL");
			List<String> numbers = List.of(ann.number(), bob.number(), "0", "", "1001", "99999");

			// A warm-up round loads every class and fills every pool, so that the baseline is fair.
			fuzz(seed - 1, 5_000, numbers);
			long baseline = usedHeapAfterGc();
			int logStart = output.getAll().length();
			this.closeCodes.clear();
			this.accessDenied.reset();

			long start = System.nanoTime();
			Map<Kind, Long> sent = fuzz(seed, frames, numbers);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			long after = usedHeapAfterGc();
			String log = output.getAll().substring(logStart);
			System.out.printf("Fuzz: %d frames in %d ms over %d connections, %d replies; by kind %s; closes %s; "
					+ "heap after GC %d MB before, %d MB after%n", frames, took.toMillis(), this.connectionsOpened.sum(),
					this.replies.sum(), sent, this.closeCodes, baseline >> 20, after >> 20);

			assertThat(sent.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(frames);
			// Only oversized frames close a connection (1009, or 1006 when the server closed it while the
			// client was still writing), and a connect refused with access-denied (1008: a mutated line
			// name on a connection that had not joined yet); 1000 is the client's own close at the end,
			// 1011 a server error.
			assertThat(this.closeCodes.keySet()).as("close codes").isSubsetOf(1000, 1006, 1008, 1009);
			assertThat(closes(1008)).as("connections closed for a refused connect")
				.isLessThanOrEqualTo(this.accessDenied.sum());
			assertThat(closes(1006) + closes(1008) + closes(1009)).as("connections closed by the server")
				.isLessThanOrEqualTo(sent.getOrDefault(Kind.OVERSIZED, 0L) + this.accessDenied.sum());
			// The call between the other two is intact: nothing about it reached them, and it still works.
			ann.assertReceivedNo("call-state", SignalingFuzzTests::endsTheCall);
			bob.assertReceivedNo("call-state", SignalingFuzzTests::endsTheCall);
			ann.send(Map.of("type", "sdp", "callId", "keep", "description", Map.of("type", "offer", "sdp", "v=0 after")));
			assertThat(bob.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 after");
			bob.send(Map.of("type", "ice", "callId", "keep", "candidate", Map.of("candidate", "candidate:after")));
			assertThat(ann.await("ice").path("candidate").path("candidate").asString()).isEqualTo("candidate:after");
			bob.send(Map.of("type", "hangup", "callId", "keep"));
			ann.awaitCallState("keep", "COMPLETED");
			bob.awaitCallState("keep", "COMPLETED");
			// The server is healthy and takes new calls.
			HttpResponse<String> health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("UP");
			ann.send(Map.of("type", "dial", "callId", "next", "to", bob.number()));
			bob.await("incoming", (m) -> "next".equals(m.path("callId").asString()));
			// Memory is back, and the log holds no storm.
			assertThat(after).as("heap after a full GC").isLessThan(baseline + HEAP_MARGIN_MB * 1024L * 1024L);
			assertThat(log).doesNotContain("\tat ").doesNotContain(" ERROR ");
			assertThat(log.lines().filter((line) -> line.contains(" WARN "))).hasSizeLessThanOrEqualTo(MAX_WARNINGS);
		}
	}

	/** Sends {@code frames} hostile frames from {@link #SENDERS} threads; returns how many of each kind. */
	private Map<Kind, Long> fuzz(long seed, int frames, List<String> numbers) throws Exception {
		ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
		List<Future<Map<Kind, Long>>> results = new ArrayList<>();
		for (int s = 0; s < SENDERS; s++) {
			HostileMessages messages = new HostileMessages(seed * 31 + s, "keep", numbers);
			int share = frames / SENDERS + ((s < frames % SENDERS) ? 1 : 0);
			results.add(senders.submit(() -> send(messages, share)));
		}
		Map<Kind, Long> sent = new EnumMap<>(Kind.class);
		try {
			for (Future<Map<Kind, Long>> result : results) {
				result.get(5, TimeUnit.MINUTES).forEach((kind, count) -> sent.merge(kind, count, Long::sum));
			}
		}
		finally {
			senders.shutdownNow();
		}
		// Every fuzz connection is closed again: only the two in the call remain.
		await().atMost(SignalingClient.WAIT).until(() -> this.edge.browserCount() == 2);
		return sent;
	}

	private Map<Kind, Long> send(HostileMessages messages, int frames) throws Exception {
		Session[] sessions = new Session[CONNECTIONS / SENDERS];
		Map<Kind, Long> sent = new EnumMap<>(Kind.class);
		try {
			for (int i = 0; i < frames; i++) {
				int slot = i % sessions.length;
				if (sessions[slot] == null || !sessions[slot].isOpen()) {
					sessions[slot] = open(i % 10 != 0);
				}
				Frame frame = messages.next();
				Callback.Completable written = new Callback.Completable();
				if (frame.binary() != null) {
					sessions[slot].sendBinary(frame.binary(), written);
				}
				else {
					sessions[slot].sendText(frame.text(), written);
				}
				try {
					written.get(10, TimeUnit.SECONDS);
				}
				catch (java.util.concurrent.ExecutionException ex) {
					// closed by the server meanwhile (an oversized frame): the next one reopens it
				}
				sent.merge(frame.kind(), 1L, Long::sum);
			}
		}
		finally {
			for (Session session : sessions) {
				if (session != null) {
					session.close();
				}
			}
		}
		return sent;
	}

	/** Opens a connection; most join the line first, as an attacker with a page would. */
	private Session open(boolean join) throws Exception {
		Session session = this.client
			.connect(new CountingListener(this.replies, this.closeCodes, this.accessDenied), URI.create("ws://localhost:" + this.port + "/webphone/ws"))
			.get(10, TimeUnit.SECONDS);
		this.connectionsOpened.increment();
		if (join) {
			Callback.Completable written = new Callback.Completable();
			session.sendText("{\"type\":\"connect\",\"line\":\"Webphone1\",\"properties\":{\"nickname\":\"fuzz\"}}",
					written);
			written.get(10, TimeUnit.SECONDS);
		}
		return session;
	}

	private static boolean endsTheCall(tools.jackson.databind.JsonNode message) {
		return "keep".equals(message.path("callId").asString())
				&& !List.of("RINGING", "IN_CALL").contains(message.path("state").asString());
	}

	private long closes(int code) {
		LongAdder count = this.closeCodes.get(code);
		return (count != null) ? count.sum() : 0;
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
