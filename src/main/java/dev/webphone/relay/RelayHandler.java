package dev.webphone.relay;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The signalling endpoint in relay mode: opens an upstream connection for each browser that connects
 * and hands both to a {@link RelayedConnection}.
 */
class RelayHandler extends AbstractWebSocketHandler {

	private static final String CONNECTION = RelayedConnection.class.getName();

	private final WebSocketClient client;

	private final Upstream upstream;

	private final RelayProperties relay;

	private final long bufferLimit;

	private final Set<RelayedConnection> connections = ConcurrentHashMap.newKeySet();

	RelayHandler(WebSocketClient client, Upstream upstream, RelayProperties relay, long bufferLimit) {
		this.client = client;
		this.upstream = upstream;
		this.relay = relay;
		this.bufferLimit = bufferLimit;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) {
		Session browser = ((NativeWebSocketSession) socket).getNativeSession(Session.class);
		RelayedConnection connection = new RelayedConnection(socket.getId(), browser, this.relay.maxPendingFrames(),
				this.bufferLimit);
		socket.getAttributes().put(CONNECTION, connection);
		this.connections.add(connection);
		ClientUpgradeRequest request = new ClientUpgradeRequest();
		// Bounds the whole upgrade, not only the TCP connect: a phone system that accepts the
		// connection but never answers must still fail the browser promptly.
		request.setTimeout(this.relay.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		CompletableFuture<Session> attempt;
		try {
			attempt = this.client.connect(connection, this.upstream.signaling(), request);
		}
		catch (IOException | RuntimeException ex) {
			connection.upstreamUnreachable(ex);
			return;
		}
		connection.connecting(attempt);
		attempt.whenComplete((session, failure) -> {
			if (failure != null) {
				connection.upstreamUnreachable(failure);
			}
		});
	}

	@Override
	protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
		connection(socket).fromBrowser(new Frame.Text(message.getPayload()));
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
		connection(socket).fromBrowser(Frame.Binary.copyOf(message.getPayload()));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
		RelayedConnection connection = connection(socket);
		this.connections.remove(connection);
		connection.browserClosed(status.getCode());
	}

	@Scheduled(fixedRateString = "${webphone.signaling.ping-interval:5s}",
			initialDelayString = "${webphone.signaling.ping-interval:5s}")
	void pingAll() {
		this.connections.forEach(RelayedConnection::ping);
	}

	/** How many browsers are connected through the relay. */
	int connectionCount() {
		return this.connections.size();
	}

	private static RelayedConnection connection(WebSocketSession socket) {
		return (RelayedConnection) socket.getAttributes().get(CONNECTION);
	}

}
