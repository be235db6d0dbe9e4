package dev.webphone.relay;

import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.webphone.system.ConditionalOnRelay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the upstream phone system's {@code WebphoneAPI} script as this server's own, so that pages
 * load it, and then connect, from one origin. The request thread is not held while the upstream
 * answers.
 */
@RestController
@ConditionalOnRelay
class RelayedWebphoneApiController {

	private static final Log logger = LogFactory.getLog(RelayedWebphoneApiController.class);

	private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

	private final UpstreamScript script;

	RelayedWebphoneApiController(UpstreamScript script) {
		this.script = script;
	}

	@GetMapping(Upstream.SCRIPT_PATH)
	CompletableFuture<ResponseEntity<String>> script(
			@RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
		return this.script.get().handle((script, failure) -> {
			if (failure != null) {
				return unavailable(failure);
			}
			if (matches(ifNoneMatch, script.etag())) {
				return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(script.etag()).build();
			}
			return ResponseEntity.ok()
				.contentType(JAVASCRIPT)
				.cacheControl(CacheControl.maxAge(0, TimeUnit.SECONDS).cachePublic().mustRevalidate())
				.eTag(script.etag())
				.body(script.body());
		});
	}

	/**
	 * A browser runs no script from an error response, but whoever opens the URL, or a page's network
	 * panel, reads why; any other loader that does run it logs the reason.
	 */
	private ResponseEntity<String> unavailable(Throwable failure) {
		String reason = describe(failure);
		logger.warn("Cannot serve the WebphoneAPI script: " + reason);
		String message = "WebphoneAPI: the phone system at " + this.script.upstream() + " is not reachable ("
				+ reason + "); try again later.";
		String body = "/* " + message.replace("*/", "* /") + " */\nconsole.error(\"[WebphoneAPI] \" + "
				+ javaScriptString(message) + ");\n";
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(JAVASCRIPT).cacheControl(CacheControl.noStore())
			.body(body);
	}

	private static String describe(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof HttpTimeoutException) {
			return "no answer in time";
		}
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

	private static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		return Arrays.stream(ifNoneMatch.split(","))
			.map(String::strip)
			.map((tag) -> tag.startsWith("W/") ? tag.substring(2) : tag)
			.anyMatch((tag) -> tag.equals("*") || tag.equals(etag));
	}

	private static String javaScriptString(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\' || c == '<' || c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
