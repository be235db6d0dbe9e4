package dev.webphone.relay;

import java.nio.ByteBuffer;

import dev.webphone.edge.EdgeSocket;

/**
 * One whole WebSocket message passed through unchanged: text, or binary for an upstream protocol that
 * uses it.
 */
sealed interface Frame {

	/**
	 * Queues the frame for {@code socket}.
	 * @return {@code false} when that side is too far behind and is being cut off
	 */
	boolean sendTo(EdgeSocket socket);

	/** Its size as the edge counts it: one byte per character of text. */
	long size();

	record Text(String text) implements Frame {

		@Override
		public boolean sendTo(EdgeSocket socket) {
			return socket.sendText(this.text);
		}

		@Override
		public long size() {
			return this.text.length();
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
		public boolean sendTo(EdgeSocket socket) {
			return socket.sendBinary(this.bytes.duplicate());
		}

		@Override
		public long size() {
			return this.bytes.remaining();
		}

	}

}
