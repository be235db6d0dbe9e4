package dev.webphone.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses an upgrade whose {@code Origin} header is not an origin at all ({@code scheme://host[:port]},
 * or {@code null}) with 403, before Spring's origin check, which would fail on it with an exception,
 * HTTP 500 and a stack trace in the log per request. The refusals are logged briefly, at most one line
 * every ten seconds.
 */
final class OriginSyntaxCheck implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(OriginSyntaxCheck.class);

	/** RFC 6454's serialised origin, as browsers send it (host names in ASCII, IPv6 in brackets). */
	private static final Pattern ORIGIN = Pattern
		.compile("[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

	private final ThrottledLog refusals = new ThrottledLog(logger, Duration.ofSeconds(10));

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		List<String> origins = request.getHeaders().getValuesAsList(HttpHeaders.ORIGIN);
		if (origins.isEmpty()) {
			return true;
		}
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origins.size() == 1 && isOrigin(origin)) {
			return true;
		}
		response.setStatusCode(HttpStatus.FORBIDDEN);
		this.refusals.warn("Refused a WebSocket upgrade from " + request.getRemoteAddress()
				+ ": malformed Origin header " + printable(origin));
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

	static boolean isOrigin(String origin) {
		if ("null".equals(origin)) {
			return true;
		}
		if (origin == null || origin.length() > 256 || !ORIGIN.matcher(origin).matches()) {
			return false;
		}
		int colon = origin.lastIndexOf(':');
		String port = origin.substring(colon + 1);
		return !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) <= 65535;
	}

	/** At most 100 characters of what a client sent, with anything unprintable replaced. */
	private static String printable(String value) {
		String shortened = (value.length() > 100) ? value.substring(0, 100) + "..." : value;
		return "'" + shortened.replaceAll("[^\\x20-\\x7e]", "?") + "'";
	}

}
