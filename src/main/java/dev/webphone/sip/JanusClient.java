package dev.webphone.sip;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of Janus's HTTP API ({@code /janus}): sessions, plugin handles, messages and long-polled
 * events, all asynchronous, so that nothing waits for Janus with a call's monitors held.
 *
 * <p>Each {@link JanusSession} is kept alive by a {@code keepalive} every {@code keepAlive} (Janus
 * drops a session that is silent for its {@code session_timeout}, and the call with it) and by its own
 * long poll; {@link #sessionCount()} counts those not yet closed, so a leak shows in the metrics.
 */
public final class JanusClient implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** How long Janus holds a long poll with nothing to say; the request may take a little longer. */
	private static final Duration LONG_POLL = Duration.ofSeconds(30);

	private final URI url;

	private final String apiSecret;

	private final Duration requestTimeout;

	private final Duration keepAlive;

	private final HttpClient http;

	private final ScheduledExecutorService timer;

	private final Set<JanusSession> sessions = ConcurrentHashMap.newKeySet();

	/**
	 * @param url Janus's HTTP API, e.g. {@code http://127.0.0.1:8088/janus}
	 * @param apiSecret Janus's {@code api_secret}, empty for none
	 */
	public JanusClient(String url, String apiSecret, Duration requestTimeout, Duration keepAlive) {
		this.url = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
		this.apiSecret = apiSecret;
		this.requestTimeout = requestTimeout;
		this.keepAlive = keepAlive;
		this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
		this.timer = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("janus-keepalive-"));
	}

	/** The Janus HTTP API this client talks to. */
	public String url() {
		return this.url.toString();
	}

	/** How many sessions are open: created and not yet closed. */
	public int sessionCount() {
		return this.sessions.size();
	}

	/** Janus's {@code info}: whether it answers, and which plugins it has. */
	public CompletableFuture<JsonNode> info() {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url + "/info"))
			.timeout(this.requestTimeout)
			.GET()
			.build();
		return send(request);
	}

	/**
	 * Creates a session, kept alive and long-polled until it is closed.
	 * @param events what Janus tells the session, on a thread of the HTTP client; a {@link JanusEvent#LOST}
	 * when the long poll fails, after which the session is closed
	 */
	public CompletableFuture<JanusSession> createSession(Consumer<JanusEvent> events) {
		return post(this.url, request("create")).thenApply((answer) -> {
			JanusSession session = new JanusSession(this, answer.path("data").path("id").asLong(), events);
			this.sessions.add(session);
			session.start();
			return session;
		});
	}

	ObjectNode request(String janus) {
		ObjectNode request = JSON.createObjectNode();
		request.put("janus", janus);
		request.put("transaction", UUID.randomUUID().toString());
		if (!this.apiSecret.isEmpty()) {
			request.put("apisecret", this.apiSecret);
		}
		return request;
	}

	/** Posts a request, completing with Janus's answer, exceptionally with a {@link JanusException}. */
	CompletableFuture<JsonNode> post(URI to, ObjectNode body) {
		HttpRequest request = HttpRequest.newBuilder(to)
			.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		return send(request);
	}

	/** The long poll of a session: up to ten events, or a keep-alive after {@link #LONG_POLL}. */
	CompletableFuture<JsonNode> poll(long sessionId) {
		String secret = this.apiSecret.isEmpty() ? "" : "&apisecret=" + java.net.URLEncoder.encode(this.apiSecret,
				java.nio.charset.StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.url + "/" + sessionId + "?maxev=10&rid=" + System.nanoTime() + secret))
			.timeout(LONG_POLL.plus(this.requestTimeout))
			.GET()
			.build();
		return send(request);
	}

	private CompletableFuture<JsonNode> send(HttpRequest request) {
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				throw new JanusException("Janus at " + this.url + " did not answer: "
						+ ((cause instanceof IOException && cause.getMessage() == null) ? cause.getClass().getSimpleName()
								: String.valueOf(cause.getMessage())), cause);
			}
			if (response.statusCode() != 200) {
				throw new JanusException(response.statusCode(), "Janus answered HTTP " + response.statusCode());
			}
			JsonNode answer = JSON.readTree(response.body());
			if ("error".equals(answer.path("janus").asString())) {
				JsonNode error = answer.path("error");
				throw new JanusException(error.path("code").asInt(), "Janus refused: " + error.path("code").asInt() + " "
						+ error.path("reason").asString(""));
			}
			return answer;
		});
	}

	URI url(long... ids) {
		StringBuilder path = new StringBuilder(this.url.toString());
		for (long id : ids) {
			path.append('/').append(id);
		}
		return URI.create(path.toString());
	}

	Duration keepAlive() {
		return this.keepAlive;
	}

	ScheduledExecutorService timer() {
		return this.timer;
	}

	void closed(JanusSession session) {
		this.sessions.remove(session);
	}

	/** Closes every open session and stops the keep-alive timer. */
	@Override
	public void close() {
		for (JanusSession session : Set.copyOf(this.sessions)) {
			session.close();
		}
		this.timer.shutdownNow();
	}

}
