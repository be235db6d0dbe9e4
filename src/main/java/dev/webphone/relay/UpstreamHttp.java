package dev.webphone.relay;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Relays a browser's {@code GET} or {@code HEAD} on a relayed HTTP path to the same path of the upstream,
 * and its answer back: status and body unchanged, with the headers that describe the content. The
 * request thread is not held while the upstream answers.
 *
 * <p>What is not passed on, either way: cookies, credentials and the browser's address (the upstream
 * is not exposed, and sees this server as its client), and redirects that would take the browser to the
 * upstream itself. A response larger than the limit, or none within the deadline, is a 502 or 504
 * from us.
 */
class UpstreamHttp {

	private static final Log logger = LogFactory.getLog(UpstreamHttp.class);

	/** What the browser may tell the upstream: content negotiation and revalidation. */
	private static final List<String> REQUEST_HEADERS = List.of("Accept", "Accept-Language", "If-None-Match",
			"If-Modified-Since", "User-Agent");

	/** What describes the content and its caching; nothing that sets state in the browser. */
	private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Language",
			"Cache-Control", "ETag", "Last-Modified", "Expires", "Vary");

	private final HttpClient http;

	private final Upstream upstream;

	private final Duration timeout;

	private final long maxResponseSize;

	UpstreamHttp(HttpClient http, Upstream upstream, Duration timeout, long maxResponseSize) {
		this.http = http;
		this.upstream = upstream;
		this.timeout = timeout;
		this.maxResponseSize = maxResponseSize;
	}

	ServerResponse relay(ServerRequest request) {
		if (!RelayedPaths.isPlain(request.requestPath().value())) {
			return plain(HttpStatus.BAD_REQUEST, "This path is not relayed: no dot segments or encoded separators.");
		}
		String pathAndQuery = request.requestPath().value()
				+ ((request.uri().getRawQuery() != null) ? "?" + request.uri().getRawQuery() : "");
		URI target = this.upstream.http(pathAndQuery);
		HttpRequest.Builder upstreamRequest = HttpRequest.newBuilder(target)
			.timeout(this.timeout)
			.method(request.method().name(), HttpRequest.BodyPublishers.noBody());
		for (String header : REQUEST_HEADERS) {
			request.headers().header(header).forEach((value) -> upstreamRequest.header(header, value));
		}
		CompletableFuture<ServerResponse> response = this.http
			.sendAsync(upstreamRequest.build(), (info) -> new LimitedBody(this.maxResponseSize))
			.orTimeout(this.timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)
			.handle((answer, failure) -> (failure != null) ? failed(target, failure) : passOn(answer));
		return ServerResponse.async(response);
	}

	private ServerResponse passOn(HttpResponse<byte[]> answer) {
		ServerResponse.BodyBuilder response = ServerResponse.status(answer.statusCode());
		for (String header : RESPONSE_HEADERS) {
			answer.headers().allValues(header).forEach((value) -> response.header(header, value));
		}
		answer.headers().firstValue("Location").map(this::ourLocation).ifPresent((location) -> response.header("Location", location));
		return response.body(answer.body());
	}

	/** A redirect within the upstream, as a path on this server; {@code null} for one elsewhere. */
	private String ourLocation(String location) {
		if (location.startsWith("/") && !location.startsWith("//")) {
			return location;
		}
		String base = this.upstream.base().toString();
		return location.startsWith(base + "/") ? location.substring(base.length()) : null;
	}

	private ServerResponse failed(URI target, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		logger.debug("Relaying " + target + " failed", cause);
		if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
			return plain(HttpStatus.GATEWAY_TIMEOUT, "The phone system did not answer in time.");
		}
		if (cause instanceof ResponseTooLargeException) {
			return plain(HttpStatus.BAD_GATEWAY, "The phone system's answer is larger than this server relays.");
		}
		if (cause instanceof ConnectException) {
			return plain(HttpStatus.BAD_GATEWAY, "The phone system is not reachable.");
		}
		return plain(HttpStatus.BAD_GATEWAY, "The phone system's answer could not be relayed.");
	}

	private static ServerResponse plain(HttpStatus status, String message) {
		return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
	}

	/** The upstream's answer was larger than {@code webphone.relay.max-response-size}. */
	static final class ResponseTooLargeException extends RuntimeException {

		ResponseTooLargeException(long limit) {
			super("response larger than " + limit + " bytes");
		}

	}

	/** Collects a body up to a limit, and gives up on the response as soon as it is exceeded. */
	private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final long limit;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private Flow.Subscription subscription;

		LimitedBody(long limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			if (this.body.isDone()) {
				return;
			}
			for (ByteBuffer buffer : buffers) {
				if (this.bytes.size() + (long) buffer.remaining() > this.limit) {
					this.subscription.cancel();
					this.body.completeExceptionally(new ResponseTooLargeException(this.limit));
					return;
				}
				byte[] chunk = new byte[buffer.remaining()];
				buffer.get(chunk);
				this.bytes.writeBytes(chunk);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(this.bytes.toByteArray());
		}

	}

}
