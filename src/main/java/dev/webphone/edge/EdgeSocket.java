package dev.webphone.edge;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One WebSocket connection at the edge (a browser's, or in relay mode the upstream one opened for it),
 * written to without ever making the sending thread wait.
 *
 * <p>Messages for a browser are sent by many threads: its own, the other party's, the line's presence
 * thread, the ring timer, the relay. A blocking send would let one browser that stops reading hold any
 * of them, and with them every other call, until the idle time-out. Here a send only queues the frame
 * in Jetty, in order; what the other end has not yet taken is counted, against this connection's
 * {@link EdgeSettings#sendBufferLimit() limit} and against the server-wide
 * {@link EdgeSettings#sendBufferBudget() budget}. A connection over its own limit is cut at once; when
 * the budget runs out, the edge cuts whichever connection is furthest behind, which need not be the
 * one being sent to. Either way a cut connection's frames no longer count.
 *
 * <p>It also remembers when the other end last sent anything (a frame or a pong): our own pings keep
 * Jetty's idle timer running for ever, so the edge times connections out on this instead.
 */
public final class EdgeSocket implements BrowserSocket {

	private static final Log logger = LogFactory.getLog(EdgeSocket.class);

	private final Session session;

	private final WebSocketEdge edge;

	private final boolean browser;

	/** Queued and not yet written; written under this object's monitor, read by the edge without it. */
	private volatile long unsent;

	/** Cut off: what was queued is no longer counted, and nothing more is sent. Guarded by this. */
	private boolean cut;

	private volatile long heardAt = System.nanoTime();

	private volatile boolean timingOut;

	/** Cut for not reading what was sent to it; set before the close events run. */
	private volatile boolean fellBehind;

	EdgeSocket(Session session, WebSocketEdge edge, boolean browser) {
		this.session = session;
		this.edge = edge;
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
	@Override
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

	/**
	 * Queues a text frame that many connections get: {@code utf8} is written as it is, not copied, so
	 * its memory is held once however many connections have it queued.
	 * @param counted whether it counts against the limits; a frame a browser gets once per connection
	 * (the clients online when it joins) does not, so that joining a big line is not mistaken for
	 * reading slowly
	 * @return {@code false} when the other end is too far behind and is being cut off
	 */
	@Override
	public boolean sendShared(ByteBuffer utf8, boolean counted) {
		long size = counted ? utf8.remaining() : 0;
		if (!reserve(size)) {
			return false;
		}
		CoreSession core = ((WebSocketSession) this.session).getCoreSession();
		core.sendFrame(new Frame(OpCode.TEXT, utf8.slice()), org.eclipse.jetty.util.Callback.from(() -> written(size),
				(failure) -> {
					written(size);
					failed(failure);
				}), false);
		return true;
	}

	/**
	 * Where the other end connects from, as the socket sees it, for the limits per address; empty when
	 * unknown or loopback, where every client of a local reverse proxy (or of a test) shares one address.
	 */
	@Override
	public String remoteAddress() {
		return (this.session.getRemoteSocketAddress() instanceof InetSocketAddress address
				&& address.getAddress() != null && !address.getAddress().isLoopbackAddress())
						? address.getAddress().getHostAddress() : "";
	}

	/** Closes the connection with a close frame, which queues behind what is already waiting. */
	@Override
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

	/** Whether the edge cut this connection for not reading what was sent to it. */
	@Override
	public boolean fellBehind() {
		return this.fellBehind;
	}

	/** Whether the edge closed this connection for being silent longer than the idle timeout. */
	@Override
	public boolean timedOut() {
		return this.timingOut;
	}

	/** The edge cuts this connection for holding more of the budget than any other. */
	void markFellBehind() {
		this.fellBehind = true;
	}

	boolean isBrowser() {
		return this.browser;
	}

	/** What is queued for this connection and not yet written. */
	long unsent() {
		return this.unsent;
	}

	/**
	 * Cuts the connection off: drops it without a close frame (which would queue behind everything the
	 * other end is not reading) and gives back to the budget all it held.
	 * @return whether this call cut it (not an earlier one)
	 */
	boolean cutOff(String why) {
		if (!stopCounting()) {
			return false;
		}
		logger.debug("Disconnecting " + this + ": " + why);
		this.session.disconnect();
		return true;
	}

	/**
	 * Gives back to the budget all this connection held and sends nothing more; the caller drops the
	 * connection.
	 * @return whether this call did it (not an earlier one)
	 */
	synchronized boolean stopCounting() {
		if (this.cut) {
			return false;
		}
		this.cut = true;
		this.edge.budget().release(this.unsent);
		this.unsent = 0;
		return true;
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
		boolean overLimit;
		boolean overBudget = false;
		synchronized (this) {
			if (this.cut) {
				return false;
			}
			overLimit = this.unsent + size > this.edge.settings().sendBufferLimit();
			if (!overLimit) {
				this.unsent += size;
				overBudget = !this.edge.budget().take(size);
			}
		}
		if (overLimit) {
			this.fellBehind = true;
			cutOff("too far behind in reading");
			return false;
		}
		if (overBudget) {
			// Outside this monitor: the edge takes the monitors of the connections it cuts.
			this.edge.relieveBudget();
			synchronized (this) {
				return !this.cut;
			}
		}
		return true;
	}

	private synchronized void written(long size) {
		if (!this.cut) {
			this.unsent -= size;
			this.edge.budget().release(size);
		}
	}

	private Callback callback(long size) {
		return Callback.from(() -> written(size), (failure) -> {
			written(size);
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
