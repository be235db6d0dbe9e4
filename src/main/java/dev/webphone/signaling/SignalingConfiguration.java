package dev.webphone.signaling;

import dev.webphone.access.ConnectionLimit;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Maps the signalling endpoint, {@value #PATH}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableScheduling
@ConditionalOnEmbeddedLine
class SignalingConfiguration implements WebSocketConfigurer {

	/** Where browsers open their signalling WebSocket. */
	static final String PATH = "/webphone/ws";

	private final SignalingHandler handler;

	private final SignalingProperties properties;

	private final ConnectionLimit connectionLimit;

	SignalingConfiguration(SignalingHandler handler, SignalingProperties properties, ConnectionLimit connectionLimit) {
		this.handler = handler;
		this.properties = properties;
		this.connectionLimit = connectionLimit;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// With no patterns, Spring allows the page's own origin only.
		registry.addHandler(this.connectionLimit.decorate(this.handler), PATH)
			.setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedJettyUpgrade(this.properties)))
			.setAllowedOriginPatterns(this.properties.allowedOrigins().toArray(String[]::new))
			.addInterceptors(this.connectionLimit);
	}

}
