package dev.webphone.edge;

import java.nio.ByteBuffer;

/**
 * Where a browser's signalling session writes: the browser's WebSocket at this instance's edge
 * ({@link EdgeSocket}), or in a cluster one held by another instance. No method blocks the caller.
 */
public interface BrowserSocket {

	/**
	 * Queues a text frame.
	 * @return {@code false} when the other end is too far behind and is being cut off
	 */
	boolean sendText(String text);

	/**
	 * Queues a text frame that many connections get; {@code utf8} must not change afterwards.
	 * @param counted whether it counts against the connection's send limits
	 * @return {@code false} when the other end is too far behind and is being cut off
	 */
	boolean sendShared(ByteBuffer utf8, boolean counted);

	/** Where the browser connects from, for the limits per address; empty when unknown or loopback. */
	String remoteAddress();

	/** Closes the connection with a close frame, which queues behind what is already waiting. */
	void close(int code, String reason);

	/** Whether the edge cut this connection for not reading what was sent to it. */
	boolean fellBehind();

	/** Whether the edge closed this connection for being silent. */
	boolean timedOut();

}
