package dev.webphone.web;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.system.LocalAddresses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.PatternMatchUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests whose Host header names a host this server is not known by (HTTP 403).
 *
 * <p>Against DNS rebinding: a page on {@code evil.example} whose name is then pointed at this
 * server would otherwise pass the WebSocket's same-origin check (its Origin matches its Host) and
 * join a line from the victim's browser. An address literal cannot be rebound, so it always passes;
 * so do {@code localhost} and this machine's name. Any other name must be listed in
 * {@code webphone.http.allowed-hosts}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AllowedHostsFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AllowedHostsFilter.class);

	private static final long LOG_EVERY = TimeUnit.MINUTES.toNanos(1);

	private final List<String> patterns;

	private final String hostName;

	private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY);

	AllowedHostsFilter(HttpProperties properties) {
		this.patterns = properties.allowedHosts().stream().map((host) -> host.toLowerCase(Locale.ROOT)).toList();
		String name = LocalAddresses.hostName();
		this.hostName = (name != null) ? name.toLowerCase(Locale.ROOT) : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = request.getServerName();
		if (isAllowed(host)) {
			chain.doFilter(request, response);
			return;
		}
		long last = this.lastLogged.get();
		long now = System.nanoTime();
		if (now - last >= LOG_EVERY && this.lastLogged.compareAndSet(last, now)) {
			logger.warn("Refused a request for the host name '" + abbreviate(host) + "' (DNS rebinding?); if browsers "
					+ "reach this server by that name, add it to webphone.http.allowed-hosts. Further refusals within "
					+ "a minute are not logged");
		}
		response.sendError(HttpServletResponse.SC_FORBIDDEN,
				"This server is not known by that host name; see webphone.http.allowed-hosts");
	}

	/**
	 * Whether this server answers to {@code host} (a request's host name, without port); the WebSocket
	 * edge asks it for the upgrades it takes ahead of the servlet filters.
	 */
	public boolean isAllowed(String host) {
		if (host == null || host.isEmpty()) {
			return true; // HTTP/1.0 without Host: no name to have been rebound
		}
		String name = host.toLowerCase(Locale.ROOT);
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		if (isAddressLiteral(name) || name.equals("localhost") || name.endsWith(".localhost")
				|| name.equals(this.hostName) || (this.hostName != null && name.equals(this.hostName + ".local"))) {
			return true;
		}
		return this.patterns.contains("*") || PatternMatchUtils.simpleMatch(this.patterns.toArray(String[]::new), name);
	}

	private static boolean isAddressLiteral(String name) {
		return name.startsWith("[") || name.contains(":") || name.matches("[0-9.]+");
	}

	private static String abbreviate(String host) {
		return (host.length() > 100) ? host.substring(0, 100) + "..." : host;
	}

}
