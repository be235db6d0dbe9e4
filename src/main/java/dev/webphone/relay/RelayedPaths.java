package dev.webphone.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What of the upstream is reachable through the relay: these paths, and nothing else of it (its admin
 * pages stay out of reach). Each is a path or a Spring path pattern such as {@code /pbx/**}; the
 * request's path and query go to the upstream unchanged.
 *
 * @param http paths relayed as HTTP {@code GET} and {@code HEAD}
 * @param webSocket paths relayed as WebSocket connections, one upstream connection per browser
 * @param script the HTTP path of the client script pages load: cached, checked by health, and replaced
 * by a stand-in client that reports why while the upstream is unreachable
 */
record RelayedPaths(List<String> http, List<String> webSocket, String script) {

	/**
	 * @throws IllegalArgumentException naming the property, so that a typo stops the start-up with a
	 * reason rather than leaving browsers with 404s
	 */
	static RelayedPaths of(List<String> http, List<String> webSocket, String script) {
		List<String> problems = new ArrayList<>();
		checkPaths("webphone.relay.http-paths", http, problems);
		checkPaths("webphone.relay.websocket-paths", webSocket, problems);
		Set<String> both = new HashSet<>(http);
		both.retainAll(webSocket);
		if (!both.isEmpty()) {
			problems.add(both + " cannot be relayed both as HTTP and as WebSocket");
		}
		if (script.contains("*") || script.contains("{")) {
			problems.add("webphone.relay.script-path '" + script + "' must be a plain path, not a pattern");
		}
		if (!http.contains(script)) {
			problems.add("webphone.relay.script-path '" + script + "' must be one of webphone.relay.http-paths "
					+ http);
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Relayed paths: " + String.join("; ", problems));
		}
		return new RelayedPaths(List.copyOf(http), List.copyOf(webSocket), script);
	}

	/**
	 * Whether a request's raw path means the same to every server: no {@code .} or {@code ..} segment, and
	 * no encoded or alternative separator, plain or percent-encoded. A path matched against a listed
	 * prefix such as {@code /pbx/assets/**} could otherwise name another of the upstream's paths once
	 * the upstream resolves it ({@code /pbx/assets/../admin}).
	 */
	static boolean isPlain(String rawPath) {
		String decoded;
		try {
			decoded = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (decoded.contains("\\") || decoded.contains(";") || decoded.contains("%") || decoded.contains("//")) {
			return false;
		}
		for (String segment : decoded.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				return false;
			}
		}
		// An encoded slash decodes to a separator the pattern did not see.
		return rawPath.split("/", -1).length == decoded.split("/", -1).length;
	}

	private static void checkPaths(String property, List<String> paths, List<String> problems) {
		for (String path : paths) {
			if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
				problems.add(property + " '" + path + "' is not a path (it starts with /, without query)");
				continue;
			}
			try {
				PathPatternParser.defaultInstance.parse(path);
			}
			catch (RuntimeException ex) {
				problems.add(property + " '" + path + "' is not a path pattern: " + ex.getMessage());
			}
		}
	}

}
