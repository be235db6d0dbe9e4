package dev.webphone.relay;

import java.net.ConnectException;
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

	/** Says, on a stand-in script, that the upstream was not reachable: for scripts and people, not pages. */
	static final String UPSTREAM_STATUS = "X-Webphone-Upstream";

	private final UpstreamScript script;

	private final UnreachableUpstreamClient unreachable = new UnreachableUpstreamClient();

	RelayedWebphoneApiController(UpstreamScript script) {
		this.script = script;
	}

	@GetMapping("${webphone.relay.script-path:/WebphoneAPI}")
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
	 * A browser runs no script from an error response, so the page would fail with a
	 * {@code ReferenceError} and never learn why: it gets a stand-in client instead, whose
	 * {@code connect} reports {@code CONNECTION_FAILED} with the reason. Never stored, so that the real
	 * script is fetched as soon as the upstream is back.
	 */
	private ResponseEntity<String> unavailable(Throwable failure) {
		String reason = describe(failure);
		logger.warn("Cannot serve the WebphoneAPI script: " + reason);
		String message = "the phone system at " + this.script.upstream() + " is not reachable (" + reason
				+ "); try again later";
		return ResponseEntity.ok()
			.contentType(JAVASCRIPT)
			.cacheControl(CacheControl.noStore())
			.header(UPSTREAM_STATUS, "unreachable")
			.body(this.unreachable.script(message));
	}

	private static String describe(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof HttpTimeoutException) {
			return "no answer in time";
		}
		if (cause instanceof ConnectException && cause.getMessage() == null) {
			return "connection refused";
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

}
