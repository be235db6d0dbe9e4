package dev.webphone.edge;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One WebSocket connection at the edge (a browser's, or in relay mode the upstream one opened for it),
 * written to without ever making the sending thread wait.
 *
 * <p>Messages for a browser are sent by many threads: its own, the other party's, the line's presence
 * thread, the ring timer, the relay. A blocking send would let one browser that stops reading hold any
 * of them, and with them every other call, until the idle time-out. Here a send only queues the frame
 * in Jetty, in order; what the other end has not yet taken is counted, and a connection that falls
 * more than {@link EdgeSettings#sendBufferLimit()} behind is cut at once, which bounds the memory one
 * connection can hold.
 *
 * <p>It also remembers when the other end last sent anything (a frame or a pong): our own pings keep
 * Jetty's idle timer running for ever, so the edge times connections out on this instead.
 */
public final class EdgeSocket {

	private static final Log logger = LogFactory.getLog(EdgeSocket.class);

	private final Session session;

	private final long bufferLimit;

	private final boolean browser;

	private final AtomicLong unsent = new AtomicLong();

	private volatile long heardAt = System.nanoTime();

	private volatile boolean timingOut;

	EdgeSocket(Session session, long bufferLimit, boolean browser) {
		this.session = session;
		this.bufferLimit = bufferLimit;
		this.browser = browser;
	}

	/** The other end sent something (a frame, a pong): it is alive. */
	public void heard() {
		this.heardAt = System.nanoTime();
	}

	/**
	 * Queues a text frame.
	 * @return {@code false} when the other end is too far behind and is being cut off
	 */
	public boolean sendText(String text) {
		long size = text.length();
		if (!reserve(size)) {
			return false;
		}
		this.session.sendText(text, callback(size));
		return true;
	}

	/**
	 * Queues a binary frame; {@code bytes} must not change afterwards.
	 * @return {@code false} when the other end is too far behind and is being cut off
	 */
	public boolean sendBinary(ByteBuffer bytes) {
		long size = bytes.remaining();
		if (!reserve(size)) {
			return false;
		}
		this.session.sendBinary(bytes, callback(size));
		return true;
	}

	/** Closes the connection with a close frame, which queues behind what is already waiting. */
	public void close(int code, String reason) {
		this.session.close(code, reason, Callback.NOOP);
	}

	/** Drops the connection without a close frame; the close events follow as for any lost connection. */
	public void disconnect() {
		this.session.disconnect();
	}

	public boolean isOpen() {
		return this.session.isOpen();
	}

	boolean isBrowser() {
		return this.browser;
	}

	/**
	 * Closes the connection if nothing came from the other end for {@code idleTimeout}: first with a
	 * close frame, and at the next check, if that did not end it, by dropping it.
	 */
	void closeIfSilent(long now, long idleTimeout) {
		if (now - this.heardAt <= idleTimeout) {
			return;
		}
		if (this.timingOut) {
			this.session.disconnect();
			return;
		}
		this.timingOut = true;
		logger.debug("Closing " + this + ": silent for longer than the idle timeout");
		// Whoever stays silent will not answer the close frame either: drop the connection once it is out.
		this.session.close(StatusCode.SHUTDOWN, "idle timeout", Callback.from(this.session::disconnect,
				(failure) -> this.session.disconnect()));
	}

	void ping() {
		this.session.sendPing(ByteBuffer.allocate(0), Callback.from(() -> {
		}, this::failed));
	}

	private boolean reserve(long size) {
		if (this.unsent.addAndGet(size) > this.bufferLimit) {
			this.unsent.addAndGet(-size);
			logger.debug("Disconnecting " + this + ": too far behind in reading");
			// A close frame would queue behind everything the other end is not reading.
			this.session.disconnect();
			return false;
		}
		return true;
	}

	private Callback callback(long size) {
		return Callback.from(() -> this.unsent.addAndGet(-size), (failure) -> {
			this.unsent.addAndGet(-size);
			failed(failure);
		});
	}

	private void failed(Throwable failure) {
		logger.debug("Disconnecting unreachable " + this, failure);
		this.session.disconnect();
	}

	@Override
	public String toString() {
		return String.valueOf(this.session.getRemoteSocketAddress());
	}

}
