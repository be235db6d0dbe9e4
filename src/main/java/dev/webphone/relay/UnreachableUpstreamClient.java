package dev.webphone.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;

/**
 * The script served in place of the upstream's while the upstream cannot be reached: it defines the
 * globals of the client contract, and {@code connect} reports {@code CONNECTION_FAILED} with the
 * reason. A page written for the tutorial thus learns why through its own handler, where a missing
 * script would leave it with {@code ReferenceError: OzWebClient is not defined}.
 *
 * <p>It is made of the built-in client's enumerations, log and event channel, so that its states are
 * exactly the real client's, and {@code relay/upstream-unreachable.js}.
 */
final class UnreachableUpstreamClient {

	private static final List<String> PARTS = List.of("webphone-api/enums.js", "webphone-api/log.js",
			"webphone-api/emitter.js");

	private final String before;

	private final String after;

	UnreachableUpstreamClient() {
		StringBuilder before = new StringBuilder(
				"/* WebphoneAPI: the phone system is not reachable; this stand-in reports why. */\n"
						+ "(function () {\n\"use strict\";\n");
		PARTS.forEach((part) -> before.append("\n/* ").append(part).append(" */\n").append(read(part)));
		this.before = before.append("\nconst UNREACHABLE = ").toString();
		this.after = ";\n" + read("relay/upstream-unreachable.js") + "\n})();\n";
	}

	/** The script for this {@code reason}, which the page receives as the state's {@code reason}. */
	String script(String reason) {
		return this.before + javaScriptString(reason) + this.after;
	}

	/**
	 * A JavaScript string literal that stays one in any context: quotes, backslashes, controls, the
	 * line separators and {@code <} (no {@code </script>}) are escaped.
	 */
	static String javaScriptString(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\' || c == '<' || c < 0x20 || c == '\u2028' || c == '\u2029') {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	private static String read(String name) {
		try {
			return new ClassPathResource(name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The stand-in client is incomplete: " + name + " is missing", ex);
		}
	}

}
