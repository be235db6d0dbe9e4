package dev.webphone.signaling;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The sending side of one browser's WebSocket, which never makes the sending thread wait.
 *
 * <p>Messages for a browser are sent by many threads: its own, the other party's, the line's presence
 * thread, the ring timer, the pinger. A blocking send would let one browser that stops reading hold any
 * of them, and with them every other call, until the idle time-out. Here a send only queues the frame
 * in Jetty, in order; what the browser has not yet taken is counted, and a browser that falls more than
 * {@code bufferLimit} behind is disconnected at once, which bounds the memory one connection can hold.
 */
final class BrowserSocket {

	private static final Log logger = LogFactory.getLog(BrowserSocket.class);

	private final Session session;

	private final long bufferLimit;

	private final AtomicLong unsent = new AtomicLong();

	/** Whether the browser was cut off for falling behind; set before the close events run. */
	private volatile boolean cutOffAsSlow;

	BrowserSocket(Session session, long bufferLimit) {
		this.session = session;
		this.bufferLimit = bufferLimit;
	}

	/**
	 * Queues a text frame.
	 * @return {@code false} when the browser is too far behind and is being disconnected
	 */
	boolean send(String text) {
		long size = text.length();
		if (this.unsent.addAndGet(size) > this.bufferLimit) {
			this.unsent.addAndGet(-size);
			logger.debug("Disconnecting " + this.session.getRemoteSocketAddress() + ": too far behind in reading");
			this.cutOffAsSlow = true;
			// A close frame would queue behind everything the browser is not reading.
			this.session.disconnect();
			return false;
		}
		this.session.sendText(text, Callback.from(() -> this.unsent.addAndGet(-size), this::failed));
		return true;
	}

	boolean wasCutOffAsSlow() {
		return this.cutOffAsSlow;
	}

	void ping() {
		this.session.sendPing(ByteBuffer.allocate(0), Callback.from(() -> {
		}, this::failed));
	}

	void close(int code, String reason) {
		this.session.close(code, reason, Callback.NOOP);
	}


	private void failed(Throwable failure) {
		logger.debug("Disconnecting unreachable " + this.session.getRemoteSocketAddress(), failure);
		this.session.disconnect();
	}

}
