package dev.webphone.signaling;

import dev.webphone.edge.EdgeSettings;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.web.AllowedHostsFilter;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

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

	/**
	 * Jetty upgrades the edge's WebSockets itself, ahead of the servlet context: a browser's handshake
	 * then costs neither the servlet filters and Spring MVC's dispatch nor, for the life of the
	 * connection, the memory of the servlet request (docs/benchmarks.md). The host-name check the servlet
	 * filter makes is made there too. Not with {@code server.forward-headers-strategy=framework}: that
	 * strategy applies the {@code X-Forwarded-*} headers in a servlet filter, which the origin check would
	 * then miss (with {@code native}, the documented one, Jetty applies them to every request).
	 */
	@Bean
	WebServerFactoryCustomizer<JettyServletWebServerFactory> webSocketEdgeAheadOfServlets(WebSocketEdge edge,
			AllowedHostsFilter allowedHosts, Environment environment) {
		if ("framework".equalsIgnoreCase(environment.getProperty("server.forward-headers-strategy", ""))) {
			return (factory) -> {
			};
		}
		return (factory) -> factory.addServerCustomizers((server) -> server.setHandler(
				edge.upgradeHandler(server, factory.getContextPath(), allowedHosts::isAllowed, server.getHandler())));
	}

}
