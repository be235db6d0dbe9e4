package dev.webphone.signaling;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real WebSocket client speaking the signalling protocol, for tests: sends JSON, and waits for the
 * messages it expects.
 */
public final class SignalingClient implements AutoCloseable {

	public static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

	private final List<JsonNode> seen = new ArrayList<>();

	private final WebSocketSession session;

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile CloseStatus closeStatus;

	private SignalingClient(WebSocketClient client, URI uri, WebSocketHttpHeaders headers) throws Exception {
		this.session = client.execute(new TextWebSocketHandler() {
			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				SignalingClient.this.inbox.add(json.readTree(message.getPayload()));
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				SignalingClient.this.closeStatus = status;
				SignalingClient.this.closed.countDown();
			}
		}, headers, uri).get(10, TimeUnit.SECONDS);
	}

	/** Opens a connection to the signalling endpoint of the server at {@code port}. */
	public static SignalingClient open(int port) throws Exception {
		return open(URI.create("ws://localhost:" + port + "/webphone/ws"), new WebSocketHttpHeaders());
	}

	public static SignalingClient open(URI uri, WebSocketHttpHeaders headers) throws Exception {
		return new SignalingClient(new StandardWebSocketClient(), uri, headers);
	}

	/**
	 * Opens a connection through {@code client}; tests that open hundreds share one client rather
	 * than start a WebSocket container for each.
	 */
	public static SignalingClient open(WebSocketClient client, URI uri, WebSocketHttpHeaders headers) throws Exception {
		return new SignalingClient(client, uri, headers);
	}

	/** Opens a connection and joins {@code line}; returns once access is granted. */
	public static SignalingClient joined(int port, String line) throws Exception {
		SignalingClient client = open(port);
		client.send(Map.of("type", "connect", "line", line));
		client.await("access-granted");
		return client;
	}

	public void send(Map<String, ?> message) throws IOException {
		sendRaw(json.writeValueAsString(message));
	}

	public synchronized void sendRaw(String frame) throws IOException {
		this.session.sendMessage(new TextMessage(frame));
	}

	/** The number the line gave this client. */
	public String number() {
		return this.seen.stream()
			.filter((m) -> "access-granted".equals(m.path("type").asString()))
			.findFirst()
			.orElseThrow()
			.path("phoneNumber")
			.asString();
	}

	/** The line this client joined. */
	public String lineName() {
		return this.seen.stream()
			.filter((m) -> "access-granted".equals(m.path("type").asString()))
			.findFirst()
			.orElseThrow()
			.path("line")
			.asString();
	}

	/** The resume secret of the last {@code access-granted} or {@code resumed} this client has awaited past. */
	public String resumeSecret() {
		JsonNode last = null;
		for (JsonNode message : this.seen) {
			String type = message.path("type").asString();
			if ("access-granted".equals(type) || "resumed".equals(type)) {
				last = message;
			}
		}
		if (last == null) {
			throw new IllegalStateException("No access-granted or resumed yet");
		}
		return last.path("resumeSecret").asString();
	}

	/** The first message this client received, once it has been awaited. */
	public JsonNode firstMessage() {
		return this.seen.get(0);
	}

	/** Waits for the next message of {@code type}, skipping others. */
	public JsonNode await(String type) throws InterruptedException {
		return await(type, (m) -> true);
	}

	/** Waits for the next message of {@code type} that matches, skipping others. */
	public JsonNode await(String type, Predicate<JsonNode> matching) throws InterruptedException {
		return await(type, matching, List.of(type));
	}

	/** Waits up to {@code within} for the next message of {@code type}, skipping others. */
	public JsonNode await(String type, Duration within) throws InterruptedException {
		return await(type, (m) -> true, List.of(type), within);
	}

	private JsonNode await(String type, Predicate<JsonNode> matching, List<String> types) throws InterruptedException {
		return await(type, matching, types, WAIT);
	}

	private JsonNode await(String type, Predicate<JsonNode> matching, List<String> types, Duration within)
			throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		List<JsonNode> skipped = new ArrayList<>();
		while (true) {
			JsonNode message = this.inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (message == null) {
				fail("No '%s' message within %s; received %s", String.join("' or '", types), within, skipped);
			}
			this.seen.add(message);
			if (types.contains(message.path("type").asString()) && matching.test(message)) {
				return message;
			}
			skipped.add(message);
		}
	}

	/** Waits for the next message of any of {@code types}, skipping others. */
	public JsonNode awaitOneOf(String... types) throws InterruptedException {
		List<String> wanted = List.of(types);
		return await(types[0], (m) -> true, wanted);
	}

	/** Waits for the call state of {@code callId} to become {@code state}; returns the message. */
	public JsonNode awaitCallState(String callId, String state) throws InterruptedException {
		return await("call-state",
				(m) -> callId.equals(m.path("callId").asString()) && state.equals(m.path("state").asString()));
	}

	/**
	 * Waits for a {@code client-states} message that says {@code number} is {@code status}; returns that
	 * client's entry.
	 */
	public JsonNode awaitClientState(String number, String status) throws InterruptedException {
		JsonNode message = await("client-states", (m) -> entry(m, number, status) != null);
		return entry(message, number, status);
	}

	private static JsonNode entry(JsonNode clientStates, String number, String status) {
		for (JsonNode client : clientStates.path("clients")) {
			if (number.equals(client.path("phoneNumber").asString()) && status.equals(client.path("status").asString())) {
				return client;
			}
		}
		return null;
	}

	/**
	 * Proves that nothing of {@code type} has reached this client: asks the server for an error reply
	 * and checks everything received before it.
	 */
	public void assertReceivedNo(String type) throws Exception {
		assertReceivedNo(type, (m) -> true);
	}

	/**
	 * Proves that no message of {@code type} matching {@code matching} has reached this client, as
	 * {@link #assertReceivedNo(String)} does.
	 */
	public void assertReceivedNo(String type, Predicate<JsonNode> matching) throws Exception {
		sendRaw("{\"type\":\"marker\"}");
		await("error", (m) -> m.path("message").asString().contains("marker"));
		assertThat(this.seen).noneMatch((m) -> type.equals(m.path("type").asString()) && matching.test(m));
	}

	/** Waits until the server has closed the connection; returns the status. */
	public CloseStatus awaitClosed() throws InterruptedException {
		assertThat(this.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("closed by the server").isTrue();
		return this.closeStatus;
	}

	public boolean isOpen() {
		return this.session.isOpen();
	}

	public WebSocketSession session() {
		return this.session;
	}

	@Override
	public void close() throws IOException {
		this.session.close();
	}

}
