package dev.webphone.relay;

import java.net.http.HttpClient;
import java.util.Optional;
import java.util.function.Supplier;

import dev.webphone.access.ConnectionLimit;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.signaling.SignalingProperties;
import dev.webphone.system.ConditionalOnRelay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Relay mode: the signalling endpoint relays to the upstream phone system, and its script is served
 * as ours. Browsers are upgraded and limited exactly as in embedded mode ({@code webphone.signaling.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRelay
@EnableWebSocket
class RelayConfiguration {

	private static final Log logger = LogFactory.getLog(RelayConfiguration.class);

	private final RelayProperties relay;

	private final SignalingProperties signaling;

	private final Upstream upstream;

	private final RelayedPaths paths;

	RelayConfiguration(RelayProperties relay, SignalingProperties signaling) {
		this.relay = relay;
		this.signaling = signaling;
		this.upstream = Upstream.of(relay.upstream());
		this.paths = RelayedPaths.of(relay.httpPaths(), relay.websocketPaths(), relay.scriptPath());
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
	RelayHandler relayHandler(WebSocketClient upstreamWebSocketClient, WebSocketEdge edge) {
		return new RelayHandler(upstreamWebSocketClient, this.upstream, this.relay, edge);
	}

	@Bean
	UpstreamScript upstreamScript() {
		Supplier<HttpClient> http = () -> HttpClient.newBuilder()
			.connectTimeout(this.relay.connectTimeout())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		return new UpstreamScript(http, this.upstream, this.paths.script(), this.relay.connectTimeout(),
				this.relay.scriptCacheTime());
	}

	/**
	 * The relayed HTTP paths other than the script, which {@link RelayedWebphoneApiController} serves;
	 * any other path of the upstream is not reachable through this server.
	 */
	@Bean
	RouterFunction<ServerResponse> relayedHttpPaths() {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(this.relay.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		UpstreamHttp relayed = new UpstreamHttp(http, this.upstream, this.relay.connectTimeout(),
				this.relay.maxResponseSize().toBytes());
		RouterFunctions.Builder routes = RouterFunctions.route();
		this.paths.http()
			.stream()
			.filter((path) -> !path.equals(this.paths.script()))
			.forEach((path) -> routes.route(RequestPredicates.path(path)
				.and(RequestPredicates.method(HttpMethod.GET).or(RequestPredicates.method(HttpMethod.HEAD))),
					relayed::relay));
		// An empty router matches nothing; a builder without routes cannot be built.
		return this.paths.http().size() > 1 ? routes.build() : (request) -> Optional.empty();
	}

	@Bean
	UpstreamHealthIndicator upstreamHealthIndicator(UpstreamScript upstreamScript) {
		return new UpstreamHealthIndicator(upstreamScript, this.relay.connectTimeout().toMillis() + 1000);
	}

	@Bean
	WebSocketConfigurer relayEndpoint(RelayHandler relayHandler, WebSocketEdge edge, ConnectionLimit connectionLimit) {
		WebSocketHandler limited = connectionLimit.decorate(relayHandler);
		return (registry) -> this.paths.webSocket()
			.forEach((path) -> edge.register(registry, path, limited, connectionLimit));
	}

	/** Says where browsers are relayed to, and warns at once if that is not reachable yet. */
	@EventListener(ApplicationReadyEvent.class)
	void reportUpstream(ApplicationReadyEvent event) {
		UpstreamScript script = event.getApplicationContext().getBean(UpstreamScript.class);
		logger.info("Relay mode: relaying " + this.paths.http() + " (HTTP) and " + this.paths.webSocket()
				+ " (WebSocket) to " + this.upstream);
		script.get().whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("The phone system at " + this.upstream + " is not reachable yet: " + failure.getMessage());
			}
		});
	}

}
