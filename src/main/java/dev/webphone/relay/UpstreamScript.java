package dev.webphone.relay;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.util.DigestUtils;

/**
 * The upstream's {@code WebphoneAPI} script, fetched when asked for and reused for a few seconds, so
 * that a page load storm costs the upstream one request, and a down upstream costs every page only
 * one connect timeout at a time.
 *
 * <p>A stale script is revalidated with its ETag, so an unchanged script is not transferred again.
 * Requests that arrive while a fetch is in flight share it.
 *
 * <p>Every fetch ends within {@link #deadline()}, whatever the HTTP client does: a fetch that never ended
 * would be shared by every later request, and the script and health would stay unavailable for good.
 * After a failure that is not the upstream's (refused, timed out, or answered without the script), the
 * HTTP client is replaced, since one that failed on its own, as after an {@link OutOfMemoryError} in
 * its selector thread, may never work again.
 */
class UpstreamScript {

	/** How long a failure is remembered: short, so that a recovered upstream is noticed at once. */
	static final Duration FAILURE_CACHE_TIME = Duration.ofSeconds(1);

	private final Supplier<HttpClient> clients;

	private final AtomicReference<HttpClient> http;

	private final Upstream upstream;

	private final URI script;

	private final Duration timeout;

	private final Duration cacheTime;

	private final Duration failureCacheTime;

	private final AtomicReference<Fetch> latest = new AtomicReference<>();

	UpstreamScript(Supplier<HttpClient> clients, Upstream upstream, String scriptPath, Duration timeout,
			Duration cacheTime) {
		this(clients, upstream, scriptPath, timeout, cacheTime, FAILURE_CACHE_TIME);
	}

	UpstreamScript(Supplier<HttpClient> clients, Upstream upstream, String scriptPath, Duration timeout,
			Duration cacheTime, Duration failureCacheTime) {
		this.clients = clients;
		this.script = upstream.http(scriptPath);
		this.http = new AtomicReference<>(clients.get());
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
				try {
					fetch(lastScript(current)).whenComplete(next::complete);
				}
				catch (RuntimeException | Error ex) {
					// Never leave a fetch in flight for good: every later request would share it.
					next.complete(null, ex);
					this.http.set(this.clients.get());
				}
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

	/** How long a fetch may take at most: the request timeout covers the headers, not the body. */
	Duration deadline() {
		return this.timeout.multipliedBy(2);
	}

	private CompletableFuture<Script> fetch(Script previous) {
		HttpClient client = this.http.get();
		return send(client, previous).orTimeout(deadline().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((script, failure) -> {
				if (failure != null && !isTheUpstreams(failure)) {
					this.http.compareAndSet(client, this.clients.get());
				}
			});
	}

	/** Whether the failure says something about the upstream rather than about our HTTP client. */
	private static boolean isTheUpstreams(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return cause instanceof UpstreamScriptException || cause instanceof ConnectException
				|| cause instanceof HttpTimeoutException;
	}

	private CompletableFuture<Script> send(HttpClient client, Script previous) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.script).timeout(this.timeout).GET();
		if (previous != null && previous.upstreamEtag() != null) {
			request.header("If-None-Match", previous.upstreamEtag());
		}
		return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
			.thenApply((response) -> {
				if (response.statusCode() == 304 && previous != null) {
					return previous;
				}
				if (response.statusCode() != 200) {
					throw new UpstreamScriptException(
							this.script + " answered HTTP " + response.statusCode());
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
