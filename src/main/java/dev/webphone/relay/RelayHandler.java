package dev.webphone.relay;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.webphone.edge.WebSocketEdge;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
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

	private final WebSocketEdge edge;

	private final UpstreamBacklog backlog;

	private final Set<RelayedConnection> connections = ConcurrentHashMap.newKeySet();

	RelayHandler(WebSocketClient client, Upstream upstream, RelayProperties relay, WebSocketEdge edge) {
		this.client = client;
		this.upstream = upstream;
		this.relay = relay;
		this.edge = edge;
		this.backlog = new UpstreamBacklog(relay.maxUpstreamBacklog().toBytes());
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) throws IOException {
		if (!RelayedPaths.isPlain(socket.getUri().getRawPath())) {
			// Matched a listed pattern here, but could name another of the upstream's paths there.
			socket.close(CloseStatus.POLICY_VIOLATION.withReason("path not relayed"));
			return;
		}
		RelayedConnection connection = new RelayedConnection(socket.getId(), WebSocketEdge.socket(socket),
				this.relay.maxPendingFrames(), this.edge, this.backlog);
		socket.getAttributes().put(CONNECTION, connection);
		this.connections.add(connection);
		ClientUpgradeRequest request = new ClientUpgradeRequest();
		// Bounds the whole upgrade, not only the TCP connect: a phone system that accepts the
		// connection but never answers must still fail the browser promptly.
		request.setTimeout(this.relay.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		CompletableFuture<Session> attempt;
		try {
			attempt = this.client.connect(connection, this.upstream.webSocket(pathAndQuery(socket)), request);
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
		if (connection == null) {
			return;
		}
		this.connections.remove(connection);
		connection.browserClosed(status.getCode(), status.getReason());
	}

	/** How many browsers are connected through the relay. */
	int connectionCount() {
		return this.connections.size();
	}

	/** Bytes browsers sent that wait for their upstream connection to open, across all browsers. */
	long upstreamBacklog() {
		return this.backlog.queued();
	}

	/** The browser's path and query, relayed unchanged. */
	private static String pathAndQuery(WebSocketSession socket) {
		URI uri = socket.getUri();
		return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	private static RelayedConnection connection(WebSocketSession socket) {
		return (RelayedConnection) socket.getAttributes().get(CONNECTION);
	}

}
