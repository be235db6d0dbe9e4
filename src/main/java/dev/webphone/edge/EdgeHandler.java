package dev.webphone.edge;

import org.eclipse.jetty.websocket.api.Session;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Wraps an endpoint's handler so that every browser connection gets its {@link EdgeSocket} before the
 * handler sees it, is heard from with every frame and pong, and leaves the edge after the handler has
 * seen it close.
 */
final class EdgeHandler extends WebSocketHandlerDecorator {

	static final String SOCKET = EdgeSocket.class.getName();

	private final WebSocketEdge edge;

	EdgeHandler(WebSocketHandler delegate, WebSocketEdge edge) {
		super(delegate);
		this.edge = edge;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		EdgeSocket socket = this.edge.opened(((NativeWebSocketSession) session).getNativeSession(Session.class), true);
		session.getAttributes().put(SOCKET, socket);
		super.afterConnectionEstablished(session);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		// Frames and pongs alike: anything from the browser shows it is there.
		((EdgeSocket) session.getAttributes().get(SOCKET)).heard();
		super.handleMessage(session, message);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
		try {
			super.afterConnectionClosed(session, closeStatus);
		}
		finally {
			this.edge.closed((EdgeSocket) session.getAttributes().get(SOCKET));
		}
	}

}
