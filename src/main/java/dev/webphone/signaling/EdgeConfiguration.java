package dev.webphone.signaling;

import dev.webphone.edge.EdgeSettings;
import dev.webphone.edge.WebSocketEdge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The WebSocket edge of either mode, limited by {@code webphone.signaling.*}: the embedded line's
 * endpoint and the relay's are the same to a browser.
 */
@Configuration(proxyBeanMethods = false)
class EdgeConfiguration {

	@Bean
	WebSocketEdge webSocketEdge(SignalingProperties properties) {
		return new WebSocketEdge(new EdgeSettings(properties.allowedOrigins(), properties.maxMessageSize().toBytes(),
				properties.pingInterval(), properties.idleTimeout(), properties.sendBufferLimit().toBytes(),
				properties.sendBufferBudgetBytes()));
	}

}
