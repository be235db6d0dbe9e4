package dev.webphone.relay;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the upstream phone system serves what the relay passes on, derived from its base URL: a
 * relayed path (with its query) is appended to the base, for HTTP as given, for WebSocket with
 * {@code ws://} or {@code wss://}.
 *
 * @param base the configured base URL, without a trailing slash
 * @param webSocketBase the same for WebSocket connections
 */
record Upstream(URI base, String webSocketBase) {

	/**
	 * @param address {@code http://host[:port][/prefix]} or {@code https://...}
	 * @throws IllegalArgumentException for anything else, so that a typo stops the start-up with a
	 * message rather than failing every browser later
	 */
	static Upstream of(String address) {
		URI uri;
		try {
			uri = new URI(address.strip());
		}
		catch (URISyntaxException ex) {
			throw invalid(address, ex.getMessage());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase() : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw invalid(address, "use http:// or https://");
		}
		if (uri.getHost() == null) {
			throw invalid(address, "a host is required");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw invalid(address, "give only scheme, host, port and an optional path");
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath().replaceAll("/+$", "") : "";
		String authority = uri.getRawAuthority();
		URI base = URI.create(scheme + "://" + authority + path);
		String webSocketScheme = scheme.equals("https") ? "wss" : "ws";
		return new Upstream(base, webSocketScheme + "://" + authority + path);
	}

	/** The upstream's HTTP resource for a relayed path, such as {@code /WebphoneAPI?v=2}. */
	URI http(String pathAndQuery) {
		return URI.create(this.base + pathAndQuery);
	}

	/** The upstream's WebSocket endpoint for a relayed path, such as {@code /webphone/ws}. */
	URI webSocket(String pathAndQuery) {
		return URI.create(this.webSocketBase + pathAndQuery);
	}

	private static IllegalArgumentException invalid(String address, String why) {
		return new IllegalArgumentException(
				"webphone.relay.upstream '" + address + "' is not a phone system's base URL: " + why);
	}

	@Override
	public String toString() {
		return this.base.toString();
	}

}
