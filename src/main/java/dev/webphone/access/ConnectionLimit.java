package dev.webphone.access;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.InetAddressSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * At most {@code webphone.limits.connections-per-address} signalling connections per remote address,
 * counted from the handshake to the close. Register it on the signalling endpoint as an interceptor,
 * around a handler wrapped by {@link #decorate}, which gives the place back when the connection closes.
 *
 * <p>The remote address is the TCP peer's, unless the peer is a trusted proxy: then it is the last
 * address in {@code X-Forwarded-For} that is not itself a trusted proxy.
 */
@Component
public class ConnectionLimit implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(ConnectionLimit.class);

	private static final String SLOT = ConnectionLimit.class.getName() + ".slot";

	private static final long LOG_EVERY = TimeUnit.MINUTES.toNanos(1);

	private final int perAddress;

	private final InetAddressSet unlimited = new InetAddressSet();

	private final InetAddressSet trustedProxies = new InetAddressSet();

	private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

	private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY);

	ConnectionLimit(LimitsProperties limits) {
		this.perAddress = limits.connectionsPerAddress();
		// An empty value ('--webphone.limits.unlimited-addresses=') clears the list.
		limits.unlimitedAddresses().stream().filter((pattern) -> !pattern.isBlank()).forEach(this.unlimited::add);
		limits.trustedProxies().stream().filter((pattern) -> !pattern.isBlank()).forEach(this.trustedProxies::add);
	}

	/** Wraps the endpoint's handler so that a closed connection gives its place back. */
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {
			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				try {
					super.afterConnectionClosed(session, status);
				}
				finally {
					if (session.getAttributes().get(SLOT) instanceof Slot slot) {
						slot.release();
					}
				}
			}
		};
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		InetAddress address = clientAddress(request);
		if (this.perAddress <= 0 || address == null || this.unlimited.test(address)) {
			return true;
		}
		boolean[] taken = { false };
		this.open.compute(address, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= this.perAddress) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		if (!taken[0]) {
			refuse(address, response);
			return false;
		}
		Slot slot = new Slot(address);
		attributes.put(SLOT, slot);
		request.getAttributes().put(SLOT, slot);
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception failure) {
		// A handshake that did not upgrade never opens a connection, so nothing else would give the place back.
		if ((failure != null || !upgraded(response)) && request.getAttributes().get(SLOT) instanceof Slot slot) {
			slot.release();
		}
	}

	/** How many connections {@code address} holds, as counted. */
	int openConnections(InetAddress address) {
		return this.open.getOrDefault(address, 0);
	}

	/** The address a connection is counted under. */
	InetAddress clientAddress(ServerHttpRequest request) {
		InetSocketAddress peer = request.getRemoteAddress();
		InetAddress address = (peer != null) ? peer.getAddress() : null;
		if (address == null || !this.trustedProxies.test(address)) {
			return address;
		}
		List<String> forwarded = request.getHeaders().getOrEmpty("X-Forwarded-For");
		String[] hops = String.join(",", forwarded).split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			InetAddress hop = parse(hops[i].strip());
			if (hop == null) {
				break; // what a client wrote itself, before the first proxy we trust: not to be believed
			}
			address = hop;
			if (!this.trustedProxies.test(hop)) {
				break;
			}
		}
		return address;
	}

	private static InetAddress parse(String literal) {
		String bare = (literal.startsWith("[") && literal.endsWith("]")) ? literal.substring(1, literal.length() - 1)
				: literal;
		// Only address literals: never a name lookup on a header value.
		if (bare.isEmpty() || !bare.matches("[0-9A-Fa-f:.]+") || !(bare.contains(".") || bare.contains(":"))) {
			return null;
		}
		try {
			return InetAddress.getByName(bare);
		}
		catch (Exception ex) {
			return null;
		}
	}

	private void refuse(InetAddress address, ServerHttpResponse response) {
		response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		try {
			response.getBody().write(("Too many connections from " + address.getHostAddress()
					+ "; at most " + this.perAddress + " (webphone.limits.connections-per-address)").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			// the client has gone; it is refused all the same
		}
		long last = this.lastLogged.get();
		long now = System.nanoTime();
		if (now - last >= LOG_EVERY && this.lastLogged.compareAndSet(last, now)) {
			logger.warn("Refused a signalling connection from " + address.getHostAddress() + ": it holds "
					+ this.perAddress + " already (webphone.limits.connections-per-address); further refusals "
					+ "within a minute are not logged");
		}
	}

	private static boolean upgraded(ServerHttpResponse response) {
		if (response instanceof ServletServerHttpResponse servlet) {
			int status = servlet.getServletResponse().getStatus();
			return status == HttpStatus.SWITCHING_PROTOCOLS.value() || status == HttpStatus.OK.value();
		}
		return true;
	}

	/** One counted connection; gives its place back once, however often it is asked. */
	private final class Slot {

		private final InetAddress address;

		private final AtomicBoolean released = new AtomicBoolean();

		Slot(InetAddress address) {
			this.address = address;
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				ConnectionLimit.this.open.computeIfPresent(this.address, (key, count) -> (count <= 1) ? null : count - 1);
			}
		}

	}

}
