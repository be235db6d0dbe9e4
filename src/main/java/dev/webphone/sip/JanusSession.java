package dev.webphone.sip;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Janus session: its handles, its keep-alive and its long poll. {@link #close()} destroys it on
 * Janus (as far as Janus answers) and stops both, once however often it is called; a session whose
 * long poll fails closes itself after telling its listener {@link JanusEvent#LOST}.
 */
public final class JanusSession implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(JanusSession.class);

	private final JanusClient client;

	private final long id;

	private final Consumer<JanusEvent> events;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile ScheduledFuture<?> keepAlive;

	JanusSession(JanusClient client, long id, Consumer<JanusEvent> events) {
		this.client = client;
		this.id = id;
		this.events = events;
	}

	void start() {
		long period = this.client.keepAlive().toMillis();
		this.keepAlive = this.client.timer().scheduleAtFixedRate(this::sendKeepAlive, period, period,
				TimeUnit.MILLISECONDS);
		poll();
	}

	/** Janus's id of the session. */
	public long id() {
		return this.id;
	}

	/** Whether {@link #close()} was called, or the session was lost. */
	public boolean isClosed() {
		return this.closed.get();
	}

	/** Attaches a handle to {@code plugin}, {@code janus.plugin.sip} say. */
	public CompletableFuture<JanusHandle> attach(String plugin) {
		ObjectNode request = this.client.request("attach");
		request.put("plugin", plugin);
		return this.client.post(this.client.url(this.id), request)
			.thenApply((answer) -> new JanusHandle(this, answer.path("data").path("id").asLong()));
	}

	/** Sends a request to one of this session's handles. */
	CompletableFuture<JsonNode> toHandle(long handleId, ObjectNode request) {
		return this.client.post(this.client.url(this.id, handleId), request);
	}

	JanusClient client() {
		return this.client;
	}

	private void sendKeepAlive() {
		if (!isClosed()) {
			this.client.post(this.client.url(this.id), this.client.request("keepalive")).exceptionally((failure) -> {
				// The long poll notices a Janus that is gone; a keep-alive lost on the way is not the end.
				logger.debug("Keep-alive of Janus session " + this.id + " failed", failure);
				return null;
			});
		}
	}

	private void poll() {
		if (isClosed()) {
			return;
		}
		this.client.poll(this.id).whenComplete((answer, failure) -> {
			if (isClosed()) {
				return;
			}
			if (failure != null) {
				lost(failure);
				return;
			}
			if (answer.isArray()) {
				answer.forEach(this::dispatch);
			}
			else {
				dispatch(answer);
			}
			poll();
		});
	}

	private void dispatch(JsonNode event) {
		String type = event.path("janus").asString("");
		if (type.equals("keepalive")) {
			return;
		}
		JanusEvent janusEvent = new JanusEvent(type, event.path("sender").asLong(),
				event.path("plugindata").path("data"), event.has("jsep") ? event.get("jsep") : null);
		try {
			this.events.accept(janusEvent);
		}
		catch (RuntimeException ex) {
			logger.warn("Janus event " + type + " of session " + this.id + " failed", ex);
		}
		if (type.equals("timeout")) {
			lost(new JanusException(0, "Janus timed the session out"));
		}
	}

	private void lost(Throwable failure) {
		if (this.closed.compareAndSet(false, true)) {
			stop();
			try {
				this.events.accept(new JanusEvent(JanusEvent.LOST, 0, JanusClient.JSON.missingNode(), null));
			}
			catch (RuntimeException ex) {
				logger.warn("Loss of Janus session " + this.id + " not handled", ex);
			}
			logger.debug("Janus session " + this.id + " lost", failure);
		}
	}

	private void stop() {
		ScheduledFuture<?> timer = this.keepAlive;
		if (timer != null) {
			timer.cancel(false);
		}
		this.client.closed(this);
	}

	/** Destroys the session on Janus, with its handles (and their calls), and stops keeping it alive. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			stop();
			this.client.post(this.client.url(this.id), this.client.request("destroy")).exceptionally((failure) -> null);
		}
	}

	@Override
	public String toString() {
		return "JanusSession[" + this.id + "]";
	}

}
