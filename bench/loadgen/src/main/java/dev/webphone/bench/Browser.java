package dev.webphone.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One simulated browser tab: a signalling connection that joins a line, answers pings as a browser
 * does, and hands every text message to a handler. Holds no thread; Jetty calls it.
 */
public final class Browser implements Session.Listener.AutoDemanding {

	final int index;

	private final String line;

	private volatile Session session;

	private volatile String phoneNumber;

	/** The secret that takes this browser's session back after a lost connection. */
	private volatile String resumeSecret;

	/** When set, the browser resumes the session of this secret instead of joining. */
	private final String resuming;

	private volatile int pings;

	/** {@code client-state} messages seen; written by this connection's delivering thread only. */
	private volatile int presenceMessages;

	private volatile boolean closed;

	private volatile int closeCode;

	/** Set once the first outcome (granted, failed, closed) is known: the connect phase counts each once. */
	private final AtomicBoolean settled = new AtomicBoolean();

	private final Runnable onSettled;

	private volatile BiConsumer<Browser, String> handler = (browser, message) -> {
	};

	Browser(int index, String line, Runnable onSettled) {
		this(index, line, null, onSettled);
	}

	/**
	 * @param resuming the resume secret of a session to take back, or {@code null} to join the line
	 */
	Browser(int index, String line, String resuming, Runnable onSettled) {
		this.index = index;
		this.line = line;
		this.resuming = resuming;
		this.onSettled = onSettled;
	}

	void onMessage(BiConsumer<Browser, String> handler) {
		this.handler = handler;
	}

	@Override
	public void onWebSocketOpen(Session session) {
		this.session = session;
		send((this.resuming != null) ? Wire.resume(this.resuming) : Wire.connect(this.line, this.index));
	}

	@Override
	public void onWebSocketText(String message) {
		if (this.phoneNumber == null && (message.contains("\"type\":\"access-granted\"")
				|| message.contains("\"type\":\"resumed\""))) {
			this.resumeSecret = Wire.field(message, "resumeSecret");
			this.phoneNumber = Wire.field(message, "phoneNumber");
			settle();
			return;
		}
		if (message.startsWith("{\"type\":\"client-state\"")) {
			this.presenceMessages++;
		}
		this.handler.accept(this, message);
	}

	@Override
	public void onWebSocketPing(ByteBuffer payload) {
		// Declaring this handler turns off Jetty's automatic pong, so answer as a browser would.
		this.pings++;
		Session current = this.session;
		if (current != null) {
			current.sendPong(payload, Callback.NOOP);
		}
	}

	@Override
	public void onWebSocketClose(int statusCode, String reason) {
		this.closeCode = statusCode;
		this.closed = true;
		settle();
	}

	@Override
	public void onWebSocketError(Throwable cause) {
		this.closed = true;
		settle();
	}

	/** The connection could not be opened at all. */
	void failed() {
		this.closed = true;
		settle();
	}

	void send(String text) {
		Session current = this.session;
		if (current != null) {
			current.sendText(text, Callback.NOOP);
		}
	}

	void close() {
		Session current = this.session;
		if (current != null && current.isOpen()) {
			current.close(1001, "bench over", Callback.NOOP);
		}
	}

	boolean granted() {
		return this.phoneNumber != null;
	}

	boolean isOpen() {
		Session current = this.session;
		return !this.closed && current != null && current.isOpen();
	}

	String resumeSecret() {
		return this.resumeSecret;
	}

	String phoneNumber() {
		return this.phoneNumber;
	}

	int pings() {
		return this.pings;
	}

	int presenceMessages() {
		return this.presenceMessages;
	}

	int closeCode() {
		return this.closeCode;
	}

	private void settle() {
		if (this.settled.compareAndSet(false, true)) {
			this.onSettled.run();
		}
	}

}
