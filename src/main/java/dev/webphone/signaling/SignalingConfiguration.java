package dev.webphone.signaling;

import dev.webphone.access.ConnectionLimit;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Maps the signalling endpoint, {@value #PATH}, on a single instance; in a cluster the cluster's edge
 * takes it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@ConditionalOnEmbeddedLine
@ConditionalOnBooleanProperty(name = "webphone.cluster.enabled", havingValue = false, matchIfMissing = true)
public class SignalingConfiguration implements WebSocketConfigurer {

	/** Where browsers open their signalling WebSocket. */
	public static final String PATH = "/webphone/ws";

	private final SignalingHandler handler;

	private final WebSocketEdge edge;

	private final ConnectionLimit connectionLimit;

	SignalingConfiguration(SignalingHandler handler, WebSocketEdge edge, ConnectionLimit connectionLimit) {
		this.handler = handler;
		this.edge = edge;
		this.connectionLimit = connectionLimit;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		this.edge.register(registry, PATH, this.connectionLimit.decorate(this.handler), this.connectionLimit);
	}

}
