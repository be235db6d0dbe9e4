package dev.webphone.relay;

import java.net.http.HttpClient;
import java.util.function.Supplier;

import dev.webphone.signaling.SignalingProperties;
import dev.webphone.signaling.UncompressedJettyUpgrade;
import dev.webphone.system.ConditionalOnRelay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Relay mode: the signalling endpoint relays to the upstream phone system, and its script is served
 * as ours. Browsers are upgraded and limited exactly as in embedded mode ({@code webphone.signaling.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRelay
@EnableWebSocket
@EnableScheduling
class RelayConfiguration {

	private static final Log logger = LogFactory.getLog(RelayConfiguration.class);

	private final RelayProperties relay;

	private final SignalingProperties signaling;

	private final Upstream upstream;

	RelayConfiguration(RelayProperties relay, SignalingProperties signaling) {
		this.relay = relay;
		this.signaling = signaling;
		this.upstream = Upstream.of(relay.upstream());
	}

	/** One client for every upstream connection: shared selector and threads, none per browser. */
	@Bean(destroyMethod = "stop")
	WebSocketClient upstreamWebSocketClient() throws Exception {
		WebSocketClient client = new WebSocketClient();
		QueuedThreadPool threads = new QueuedThreadPool();
		threads.setName("relay-upstream");
		client.getHttpClient().setExecutor(threads);
		client.setConnectTimeout(this.relay.connectTimeout().toMillis());
		client.setIdleTimeout(this.signaling.idleTimeout());
		client.setMaxTextMessageSize(this.signaling.maxMessageSize().toBytes());
		client.setMaxBinaryMessageSize(this.signaling.maxMessageSize().toBytes());
		client.setStopAtShutdown(false);
		client.start();
		return client;
	}

	@Bean
	RelayHandler relayHandler(WebSocketClient upstreamWebSocketClient) {
		return new RelayHandler(upstreamWebSocketClient, this.upstream, this.relay,
				this.signaling.sendBufferLimit().toBytes());
	}

	@Bean
	UpstreamScript upstreamScript() {
		Supplier<HttpClient> http = () -> HttpClient.newBuilder()
			.connectTimeout(this.relay.connectTimeout())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		return new UpstreamScript(http, this.upstream, this.relay.connectTimeout(), this.relay.scriptCacheTime());
	}

	@Bean
	UpstreamHealthIndicator upstreamHealthIndicator(UpstreamScript upstreamScript) {
		return new UpstreamHealthIndicator(upstreamScript, this.relay.connectTimeout().toMillis() + 1000);
	}

	@Bean
	WebSocketConfigurer relayEndpoint(RelayHandler relayHandler) {
		// With no patterns, Spring allows the page's own origin only.
		return (registry) -> registry.addHandler(relayHandler, Upstream.SIGNALING_PATH)
			.setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedJettyUpgrade(this.signaling)))
			.setAllowedOriginPatterns(this.signaling.allowedOrigins().toArray(String[]::new));
	}

	/** Says where browsers are relayed to, and warns at once if that is not reachable yet. */
	@EventListener(ApplicationReadyEvent.class)
	void reportUpstream(ApplicationReadyEvent event) {
		UpstreamScript script = event.getApplicationContext().getBean(UpstreamScript.class);
		logger.info("Relay mode: browsers' signalling goes to " + this.upstream.signaling());
		script.get().whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("The phone system at " + this.upstream + " is not reachable yet: " + failure.getMessage());
			}
		});
	}

}
