package dev.webphone.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Session;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator;
import org.springframework.web.socket.handler.LoggingWebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * The WebSocket edge of the server, one for either mode: maps endpoints with the upgrade and origin
 * rules of {@link EdgeSettings}, holds every open connection (the browsers', and in relay mode the
 * upstream ones), pings them all from one thread and closes those that have been silent for longer
 * than the idle timeout.
 */
public final class WebSocketEdge implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WebSocketEdge.class);

	private final EdgeSettings settings;

	private final SendBudget budget;

	private final AtomicBoolean relieving = new AtomicBoolean();

	private final ThrottledLog budgetLog = new ThrottledLog(logger, Duration.ofSeconds(10));

	private final Set<EdgeSocket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger browsers = new AtomicInteger();

	private volatile ScheduledExecutorService keepAlive;

	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	public WebSocketEdge(EdgeSettings settings) {
		this.settings = settings;
		this.budget = new SendBudget(settings.sendBufferBudget());
	}

	/**
	 * Maps {@code handler} at {@code path} for browsers.
	 * @param interceptors what else judges an upgrade, after the check that the Origin header is an
	 * origin
	 */
	public void register(WebSocketHandlerRegistry registry, String path, WebSocketHandler handler,
			HandshakeInterceptor... interceptors) {
		EdgeHandler edgeHandler = new EdgeHandler(handler, this);
		OriginSyntaxCheck originSyntax = new OriginSyntaxCheck();
		// With no patterns, Spring allows the page's own origin only.
		registry.addHandler(edgeHandler, path)
			.setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedJettyUpgrade(this.settings)))
			// Run before the origin check Spring adds for the patterns.
			.addInterceptors(originSyntax)
			.addInterceptors(interceptors)
			.setAllowedOriginPatterns(this.settings.allowedOrigins().toArray(String[]::new));
		// The same, for the upgrades Jetty takes ahead of the servlet context (EdgeUpgradeHandler): the
		// handler wrapped as Spring's WebSocketHttpRequestHandler wraps it, the interceptors in Spring's order.
		OriginHandshakeInterceptor originCheck = new OriginHandshakeInterceptor();
		originCheck.setAllowedOriginPatterns(this.settings.allowedOrigins());
		List<HandshakeInterceptor> chain = new ArrayList<>();
		chain.add(originSyntax);
		chain.addAll(List.of(interceptors));
		chain.add(originCheck);
		if (isExact(path)) {
			this.endpoints.put(path, new Endpoint(
					new ExceptionWebSocketHandlerDecorator(new LoggingWebSocketHandlerDecorator(edgeHandler)),
					List.copyOf(chain)));
		}
	}

	/**
	 * Upgrades the requests for the endpoints {@link #register registered} here in Jetty, ahead of
	 * {@code next} (the servlet context), which gets every other request.
	 * @param contextPath the servlet context's path
	 * @param knownHost whether the server answers to a host name
	 */
	public Handler upgradeHandler(Server server, String contextPath, Predicate<String> knownHost, Handler next) {
		return new EdgeUpgradeHandler(server, this, contextPath, knownHost, next);
	}

	/** The endpoint registered at exactly {@code path}, or null. */
	Endpoint endpoint(String path) {
		return this.endpoints.get(path);
	}

	private static boolean isExact(String path) {
		return path.chars().noneMatch((c) -> c == '*' || c == '{' || c == '?' || c == '%' || c == ';');
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
		if (socket != null && this.sockets.remove(socket)) {
			// Whatever it still held will never be written.
			socket.cutOff("closed");
			if (socket.isBrowser()) {
				this.browsers.decrementAndGet();
			}
		}
	}

	/** How many browsers are connected. */
	public int browserCount() {
		return this.browsers.get();
	}

	/** How much all connections together hold in frames queued and not yet written. */
	public long unsentTotal() {
		return this.budget.held();
	}

	EdgeSettings settings() {
		return this.settings;
	}

	SendBudget budget() {
		return this.budget;
	}

	/**
	 * The budget is spent: cuts the connections furthest behind until it is not. One thread does it at a
	 * time (others go on sending, briefly over budget), so that a burst of sends does not scan the
	 * connections once for each.
	 */
	void relieveBudget() {
		if (!this.relieving.compareAndSet(false, true)) {
			return;
		}
		try {
			while (this.budget.exceeded()) {
				EdgeSocket furthestBehind = null;
				for (EdgeSocket socket : this.sockets) {
					if (furthestBehind == null || socket.unsent() > furthestBehind.unsent()) {
						furthestBehind = socket;
					}
				}
				if (furthestBehind == null || furthestBehind.unsent() == 0) {
					return;
				}
				long held = furthestBehind.unsent();
				String who = furthestBehind.toString();
				furthestBehind.markFellBehind();
				if (furthestBehind.stopCounting()) {
					disconnectElsewhere(furthestBehind);
					this.budgetLog.warn("Send buffer budget of " + this.budget.limit() + " bytes spent: disconnected "
							+ who + ", which held " + held + " bytes unread");
				}
			}
		}
		finally {
			this.relieving.set(false);
		}
	}

	/**
	 * Drops a connection cut for the budget on the keep-alive thread: the thread that found the budget
	 * spent may hold the monitor of its own connection (a relay's), and the close events of the one cut
	 * take that connection's.
	 */
	private void disconnectElsewhere(EdgeSocket socket) {
		ScheduledExecutorService executor = this.keepAlive;
		try {
			if (executor != null) {
				executor.execute(socket::disconnect);
				return;
			}
		}
		catch (RejectedExecutionException ex) {
			// stopping: drop it here
		}
		socket.disconnect();
	}

	EdgeSocket opened(Session session, boolean browser) {
		EdgeSocket socket = new EdgeSocket(session, this, browser);
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

	/** A registered endpoint: its handler, wrapped, and the interceptors that judge its handshakes. */
	record Endpoint(WebSocketHandler handler, List<HandshakeInterceptor> interceptors) {
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
