package dev.webphone.signaling;

import dev.webphone.edge.WebSocketEdge;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The signalling endpoint: hands each connection's frames to its {@link SignalingSession}.
 */
@Component
@ConditionalOnEmbeddedLine
class SignalingHandler extends AbstractWebSocketHandler {

	private static final String SESSION = SignalingSession.class.getName();

	private final SignalingSessions sessions;

	private final WebSocketEdge edge;

	SignalingHandler(SignalingSessions sessions, WebSocketEdge edge) {
		this.sessions = sessions;
		this.edge = edge;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) {
		SignalingSession session = this.sessions.open(WebSocketEdge.socket(socket));
		socket.getAttributes().put(SESSION, session);
	}

	@Override
	protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
		// The bytes as they came (see ByteFrameAdapter): Jackson parses UTF-8 without another pass.
		session(socket).receive(message.asBytes());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
		session(socket).refuse(ErrorCode.MALFORMED, "Binary frames are not part of the protocol; send JSON text");
	}

	@Override
	public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
		session(socket).closed(status);
	}

	/** How many browsers are connected, joined to a line or not. */
	int connectionCount() {
		return this.edge.browserCount();
	}

	private static SignalingSession session(WebSocketSession socket) {
		return (SignalingSession) socket.getAttributes().get(SESSION);
	}

}
