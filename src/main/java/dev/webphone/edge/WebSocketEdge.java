package dev.webphone.edge;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Session;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The WebSocket edge of the server, one for either mode: maps endpoints with the upgrade and origin
 * rules of {@link EdgeSettings}, holds every open connection (the browsers', and in relay mode the
 * upstream ones), pings them all from one thread and closes those that have been silent for longer
 * than the idle timeout.
 */
public final class WebSocketEdge implements SmartLifecycle {

	private final EdgeSettings settings;

	private final Set<EdgeSocket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger browsers = new AtomicInteger();

	private volatile ScheduledExecutorService keepAlive;

	public WebSocketEdge(EdgeSettings settings) {
		this.settings = settings;
	}

	/** Maps {@code handler} at {@code path} for browsers. */
	public void register(WebSocketHandlerRegistry registry, String path, WebSocketHandler handler) {
		// With no patterns, Spring allows the page's own origin only.
		registry.addHandler(new EdgeHandler(handler, this), path)
			.setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedJettyUpgrade(this.settings)))
			.setAllowedOriginPatterns(this.settings.allowedOrigins().toArray(String[]::new));
	}

	/** The edge socket of a browser's connection to an endpoint {@link #register registered} here. */
	public static EdgeSocket socket(WebSocketSession session) {
		return (EdgeSocket) session.getAttributes().get(EdgeHandler.SOCKET);
	}

	/**
	 * Takes in a connection this server opened itself (to an upstream phone system): it is pinged and
	 * limited as browsers are; {@link #closed} it when it closes.
	 */
	public EdgeSocket outbound(Session session) {
		return opened(session, false);
	}

	/** A connection has closed: it leaves the edge. */
	public void closed(EdgeSocket socket) {
		if (socket != null && this.sockets.remove(socket) && socket.isBrowser()) {
			this.browsers.decrementAndGet();
		}
	}

	/** How many browsers are connected. */
	public int browserCount() {
		return this.browsers.get();
	}

	EdgeSocket opened(Session session, boolean browser) {
		EdgeSocket socket = new EdgeSocket(session, this.settings.sendBufferLimit(), browser);
		if (browser) {
			this.browsers.incrementAndGet();
		}
		this.sockets.add(socket);
		return socket;
	}

	private void pingAll() {
		this.sockets.forEach(EdgeSocket::ping);
	}

	private void closeSilent() {
		long now = System.nanoTime();
		long idleTimeout = this.settings.idleTimeout().toNanos();
		this.sockets.forEach((socket) -> socket.closeIfSilent(now, idleTimeout));
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "websocket-keep-alive");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.pingInterval().toNanos();
		executor.scheduleAtFixedRate(this::pingAll, interval, interval, TimeUnit.NANOSECONDS);
		// A silent connection goes at most a quarter of the idle timeout late.
		long check = Math.max(this.settings.idleTimeout().toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10));
		executor.scheduleAtFixedRate(this::closeSilent, check, check, TimeUnit.NANOSECONDS);
		this.keepAlive = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.keepAlive;
		if (executor != null) {
			executor.shutdownNow();
			this.keepAlive = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.keepAlive != null;
	}

}
