package dev.webphone.signaling;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of real WebSocket clients on one line, for tests of what a big line does to others: each
 * joins, reads everything the server sends (as a browser would) and otherwise stays silent. Frames
 * are not parsed beyond spotting {@code access-granted}, so that the crowd costs the test little CPU.
 */
public final class Crowd implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocketClient client = new WebSocketClient();

	private final List<Session> sessions = new ArrayList<>();

	private final AtomicInteger closedByServer = new AtomicInteger();

	Crowd() throws Exception {
		this.client.setMaxTextMessageSize(16 * 1024 * 1024);
		this.client.start();
	}

	/**
	 * Joins {@code size} more clients to {@code line}, {@code inFlight} handshakes at a time; returns
	 * once all have access.
	 */
	void join(int port, String line, Map<String, Object> properties, int size, int inFlight) throws Exception {
		String connect = json.writeValueAsString(Map.of("type", "connect", "line", line, "properties", properties));
		URI uri = URI.create("ws://127.0.0.1:" + port + "/webphone/ws");
		CountDownLatch granted = new CountDownLatch(size);
		for (int from = 0; from < size; from += inFlight) {
			List<CompletableFuture<Session>> batch = new ArrayList<>();
			for (int i = from; i < Math.min(size, from + inFlight); i++) {
				batch.add(this.client.connect(new Member(connect, granted, true), uri));
			}
			for (CompletableFuture<Session> opened : batch) {
				this.sessions.add(opened.get(30, TimeUnit.SECONDS));
			}
		}
		assertThat(granted.await(60, TimeUnit.SECONDS)).as("every member of the crowd has access").isTrue();
	}

	/**
	 * One client after another joins {@code line} and leaves as soon as it has access, until
	 * {@code stop} is set: a join/leave storm from one address.
	 * @return how many joined
	 */
	int churn(int port, String line, Map<String, Object> properties, java.util.function.BooleanSupplier stop)
			throws Exception {
		String connect = json.writeValueAsString(Map.of("type", "connect", "line", line, "properties", properties));
		URI uri = URI.create("ws://127.0.0.1:" + port + "/webphone/ws");
		int joined = 0;
		while (!stop.getAsBoolean()) {
			CountDownLatch granted = new CountDownLatch(1);
			Session session = this.client.connect(new Member(connect, granted, false), uri).get(30, TimeUnit.SECONDS);
			assertThat(granted.await(30, TimeUnit.SECONDS)).as("a storming client has access").isTrue();
			session.close();
			joined++;
		}
		return joined;
	}

	/** How many members the server closed or dropped. */
	int closedByServer() {
		return this.closedByServer.get();
	}

	@Override
	public void close() throws Exception {
		this.client.stop();
	}

	public final class Member implements Session.Listener.AutoDemanding {

		private final String connect;

		private final CountDownLatch granted;

		private final boolean stays;

		Member(String connect, CountDownLatch granted, boolean stays) {
			this.connect = connect;
			this.granted = granted;
			this.stays = stays;
		}

		@Override
		public void onWebSocketOpen(Session session) {
			session.sendText(this.connect, Callback.NOOP);
		}

		@Override
		public void onWebSocketText(String message) {
			if (message.startsWith("{\"type\":\"access-granted\"")) {
				this.granted.countDown();
			}
		}

		@Override
		public void onWebSocketError(Throwable failure) {
			// Closing the crowd fails what is still in flight; the closes are what the tests count.
		}

		@Override
		public void onWebSocketClose(int statusCode, String reason) {
			if (this.stays && !Crowd.this.client.isStopping() && !Crowd.this.client.isStopped()) {
				Crowd.this.closedByServer.incrementAndGet();
			}
		}

	}

}
