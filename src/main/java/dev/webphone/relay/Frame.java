package dev.webphone.relay;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One whole WebSocket message passed through unchanged: text, or binary for an upstream protocol that
 * uses it.
 */
sealed interface Frame {

	/** What the frame counts against a connection's buffer limit. */
	long size();

	void sendTo(Session session, Callback callback);

	record Text(String text) implements Frame {

		@Override
		public long size() {
			// UTF-16 in memory; the wire size is never larger.
			return 2L * this.text.length();
		}

		@Override
		public void sendTo(Session session, Callback callback) {
			session.sendText(this.text, callback);
		}

	}

	/** Binary content, copied: the container reuses the buffer it delivered it in. */
	record Binary(ByteBuffer bytes) implements Frame {

		static Binary copyOf(ByteBuffer buffer) {
			ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
			copy.put(buffer.duplicate()).flip();
			return new Binary(copy);
		}

		@Override
		public long size() {
			return this.bytes.remaining();
		}

		@Override
		public void sendTo(Session session, Callback callback) {
			session.sendBinary(this.bytes.duplicate(), callback);
		}

	}

}
