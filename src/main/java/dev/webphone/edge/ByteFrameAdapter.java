package dev.webphone.edge;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator;

/**
 * Spring's Jetty adapter ({@link org.springframework.web.socket.adapter.jetty.JettyWebSocketHandlerAdapter},
 * whose work this does in the same order), taking each message's frames as bytes.
 *
 * <p>Given only {@code onWebSocketText}, Jetty builds every incoming text message into a {@code String}
 * with its {@code Utf8StringBuilder}, one byte at a time from a direct buffer: half of Jetty's CPU per
 * call set-up (two SDPs of 3.6 KB and eight candidates). This adapter takes the frames themselves,
 * gathers a message's bytes with bulk copies, checks them here and hands Spring a {@link TextMessage}
 * made from the bytes (whose {@link TextMessage#asBytes()} a handler can give a byte parser). What Jetty
 * checked for a text message still holds: a message over the size limit closes the connection with
 * 1009, one that is not valid UTF-8 with 1007, as before.
 *
 * <p>Taking the frames means taking all of them (Jetty allows no other message or pong method beside
 * {@code onWebSocketFrame}, hence not a subclass of Spring's adapter): pings are answered here, pongs
 * go to the handler as before, and a close frame is left to Jetty, which calls
 * {@link #onWebSocketClose} once the connection is closed.
 */
public final class ByteFrameAdapter implements Session.Listener {

	private static final Log logger = LogFactory.getLog(ByteFrameAdapter.class);

	private static final byte TEXT = 1;

	private static final byte BINARY = 2;

	private static final byte PING = 9;

	private static final byte PONG = 10;

	private final WebSocketHandler handler;

	private final JettyWebSocketSession spring;

	private final int maxMessageSize;

	private Session session;

	/** The message being gathered: its type, bytes so far, or {@code null} between messages. */
	private byte type;

	private byte[] bytes;

	private int length;

	ByteFrameAdapter(WebSocketHandler handler, JettyWebSocketSession spring, long maxMessageSize) {
		this.handler = handler;
		this.spring = spring;
		this.maxMessageSize = (int) Math.min(maxMessageSize, Integer.MAX_VALUE - 8);
	}

	@Override
	public void onWebSocketOpen(Session session) {
		this.session = session;
		try {
			this.spring.initializeNativeSession(session);
			this.handler.afterConnectionEstablished(this.spring);
			session.demand();
		}
		catch (Exception ex) {
			tryCloseWithError(ex);
		}
	}

	@Override
	public void onWebSocketClose(int statusCode, String reason, Callback callback) {
		callback.succeed();
		try {
			this.handler.afterConnectionClosed(this.spring, new CloseStatus(statusCode, reason));
		}
		catch (Exception ex) {
			logger.warn("Unhandled exception from afterConnectionClosed for " + this, ex);
		}
	}

	@Override
	public void onWebSocketError(Throwable cause) {
		try {
			this.handler.handleTransportError(this.spring, cause);
		}
		catch (Exception ex) {
			logger.warn("Unhandled exception from handleTransportError for " + this, ex);
		}
	}

	@Override
	public void onWebSocketFrame(Frame frame, Callback callback) {
		byte opCode = frame.getEffectiveOpCode();
		switch (opCode) {
			case TEXT, BINARY -> data(opCode, frame, callback);
			case PING -> {
				ByteBuffer pong = copy(frame.getPayload());
				callback.succeed();
				this.session.sendPong(pong, Callback.NOOP);
				this.session.demand();
			}
			case PONG -> {
				ByteBuffer payload = copy(frame.getPayload());
				callback.succeed();
				deliver(new PongMessage(payload));
			}
			// Close: Jetty answers it and calls onWebSocketClose once the connection is closed.
			default -> callback.succeed();
		}
	}

	private void data(byte opCode, Frame frame, Callback callback) {
		ByteBuffer payload = frame.getPayload();
		int size = (payload != null) ? payload.remaining() : 0;
		if (this.bytes == null) {
			this.type = opCode;
			this.length = 0;
			this.bytes = new byte[frame.isFin() ? size : Math.max(size, 1024)];
		}
		if ((long) this.length + size > this.maxMessageSize) {
			this.bytes = null;
			callback.succeed();
			this.session.close(StatusCode.MESSAGE_TOO_LARGE,
					"Message larger than " + this.maxMessageSize + " bytes", Callback.NOOP);
			return;
		}
		if (this.length + size > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.min(Math.max(this.bytes.length * 2, this.length + size),
					this.maxMessageSize));
		}
		if (size > 0) {
			payload.get(payload.position(), this.bytes, this.length, size);
			this.length += size;
		}
		callback.succeed();
		if (!frame.isFin()) {
			this.session.demand();
			return;
		}
		byte[] message = (this.length == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.length);
		this.bytes = null;
		if (this.type == BINARY) {
			deliver(new BinaryMessage(message));
		}
		else if (Utf8.isValid(message)) {
			deliver(new TextMessage(message));
		}
		else {
			this.session.close(StatusCode.BAD_PAYLOAD, "Text message is not valid UTF-8", Callback.NOOP);
		}
	}

	private void deliver(WebSocketMessage<?> message) {
		try {
			this.handler.handleMessage(this.spring, message);
			this.session.demand();
		}
		catch (Exception ex) {
			tryCloseWithError(ex);
		}
	}

	private void tryCloseWithError(Throwable cause) {
		if (this.session.isOpen()) {
			ExceptionWebSocketHandlerDecorator.tryCloseWithError(this.spring, cause, logger);
		}
		else {
			this.session.disconnect();
		}
	}

	private static ByteBuffer copy(ByteBuffer payload) {
		if (payload == null) {
			return ByteBuffer.allocate(0);
		}
		byte[] copy = new byte[payload.remaining()];
		payload.get(payload.position(), copy);
		return ByteBuffer.wrap(copy);
	}

	/** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
	static final class Utf8 {

		private Utf8() {
		}

		static boolean isValid(byte[] bytes) {
			int i = 0;
			int n = bytes.length;
			while (i < n) {
				int b = bytes[i];
				if (b >= 0) {
					i++;
					continue;
				}
				b &= 0xFF;
				if (b < 0xC2) {
					return false; // a continuation byte first, or an overlong two-byte form
				}
				if (b < 0xE0) {
					if (i + 1 >= n || !continuation(bytes[i + 1])) {
						return false;
					}
					i += 2;
				}
				else if (b < 0xF0) {
					if (i + 2 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
						return false;
					}
					int second = bytes[i + 1] & 0xFF;
					if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F)) {
						return false; // overlong, or a surrogate
					}
					i += 3;
				}
				else if (b < 0xF5) {
					if (i + 3 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])
							|| !continuation(bytes[i + 3])) {
						return false;
					}
					int second = bytes[i + 1] & 0xFF;
					if ((b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F)) {
						return false; // overlong, or above U+10FFFF
					}
					i += 4;
				}
				else {
					return false;
				}
			}
			return true;
		}

		private static boolean continuation(byte b) {
			return (b & 0xC0) == 0x80;
		}

	}

}
