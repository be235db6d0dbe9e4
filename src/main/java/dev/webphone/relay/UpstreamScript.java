package dev.webphone.relay;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.util.DigestUtils;

/**
 * The upstream's {@code WebphoneAPI} script, fetched when asked for and reused for a few seconds, so
 * that a page load storm costs the upstream one request, and a down upstream costs every page only
 * one connect timeout at a time.
 *
 * <p>A stale script is revalidated with its ETag, so an unchanged script is not transferred again.
 * Requests that arrive while a fetch is in flight share it.
 */
class UpstreamScript {

	/** How long a failure is remembered: short, so that a recovered upstream is noticed at once. */
	static final Duration FAILURE_CACHE_TIME = Duration.ofSeconds(1);

	private final HttpClient http;

	private final Upstream upstream;

	private final Duration timeout;

	private final Duration cacheTime;

	private final Duration failureCacheTime;

	private final AtomicReference<Fetch> latest = new AtomicReference<>();

	UpstreamScript(HttpClient http, Upstream upstream, Duration timeout, Duration cacheTime) {
		this(http, upstream, timeout, cacheTime, FAILURE_CACHE_TIME);
	}

	UpstreamScript(HttpClient http, Upstream upstream, Duration timeout, Duration cacheTime,
			Duration failureCacheTime) {
		this.http = http;
		this.upstream = upstream;
		this.timeout = timeout;
		this.cacheTime = cacheTime;
		this.failureCacheTime = failureCacheTime;
	}

	/**
	 * The script, from the cache or the upstream.
	 * @return completes with the script, or exceptionally when the upstream did not serve it
	 */
	CompletableFuture<Script> get() {
		while (true) {
			Fetch current = this.latest.get();
			if (current != null && current.isUsable(this.cacheTime, this.failureCacheTime)) {
				return current.result;
			}
			Fetch next = new Fetch();
			if (this.latest.compareAndSet(current, next)) {
				fetch(lastScript(current)).whenComplete(next::complete);
				return next.result;
			}
		}
	}

	/** The script {@code fetch} got, for revalidation; {@code null} if it got none. */
	private static Script lastScript(Fetch fetch) {
		if (fetch == null || !fetch.result.isDone() || fetch.result.isCompletedExceptionally()) {
			return null;
		}
		return fetch.result.join();
	}

	Upstream upstream() {
		return this.upstream;
	}

	private CompletableFuture<Script> fetch(Script previous) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.upstream.script()).timeout(this.timeout).GET();
		if (previous != null && previous.upstreamEtag() != null) {
			request.header("If-None-Match", previous.upstreamEtag());
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
			.thenApply((response) -> {
				if (response.statusCode() == 304 && previous != null) {
					return previous;
				}
				if (response.statusCode() != 200) {
					throw new UpstreamScriptException(
							this.upstream.script() + " answered HTTP " + response.statusCode());
				}
				return Script.of(response.body(), response.headers().firstValue("ETag").orElse(null));
			});
	}

	/**
	 * A fetched script.
	 *
	 * @param body the script, unchanged
	 * @param etag the ETag browsers get: a digest of the body, so that it is strong and ours
	 * @param upstreamEtag the upstream's ETag, for revalidating; {@code null} if it sent none
	 */
	record Script(String body, String etag, String upstreamEtag) {

		static Script of(String body, String upstreamEtag) {
			String etag = "\"" + DigestUtils.md5DigestAsHex(body.getBytes(StandardCharsets.UTF_8)) + "\"";
			return new Script(body, etag, upstreamEtag);
		}

	}

	/** The upstream answered, but not with the script. */
	static class UpstreamScriptException extends RuntimeException {

		UpstreamScriptException(String message) {
			super(message);
		}

	}

	/** One fetch and when it finished. */
	private static final class Fetch {

		final CompletableFuture<Script> result = new CompletableFuture<>();

		private volatile long completedAt;

		void complete(Script script, Throwable failure) {
			this.completedAt = System.nanoTime();
			if (failure != null) {
				this.result.completeExceptionally(failure);
			}
			else {
				this.result.complete(script);
			}
		}

		boolean isUsable(Duration cacheTime, Duration failureCacheTime) {
			if (!this.result.isDone()) {
				return true;
			}
			Duration keep = this.result.isCompletedExceptionally() ? failureCacheTime : cacheTime;
			return System.nanoTime() - this.completedAt < keep.toNanos();
		}

	}

}
