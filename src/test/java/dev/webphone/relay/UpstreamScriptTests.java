package dev.webphone.relay;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fetching the upstream's script when nothing answers, and recovering from an HTTP client that stops
 * working; the happy path runs against a real upstream in {@link RelayIntegrationTests}.
 */
class UpstreamScriptTests {

	private static final String SCRIPT = "window.fromTheUpstream = true;";

	private HttpServer upstream;

	@AfterEach
	void stopTheUpstream() {
		if (this.upstream != null) {
			this.upstream.stop(0);
		}
	}

	@Test
	void everyFetchAfterAFailureFailsPromptlyToo() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		UpstreamScript script = new UpstreamScript(HttpClient::newHttpClient,
				Upstream.of("http://localhost:" + closed), "/WebphoneAPI", Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO);
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> script.get().get(3, TimeUnit.SECONDS));
		}
	}

	/**
	 * What an {@link OutOfMemoryError} in the HTTP client's selector thread leaves behind: requests that
	 * never complete. Such a fetch used to be shared by every later request, for good.
	 */
	@Test
	void aFetchThatNeverEndsIsGivenUpAtTheDeadlineAndTheNextOneUsesAFreshClient() throws Exception {
		UpstreamScript script = new UpstreamScript(clients(new BrokenHttpClient(false)), servingTheScript(), "/WebphoneAPI",
				Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ZERO);
		long start = System.nanoTime();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> script.get().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(script.deadline().plusSeconds(1));

		assertThat(script.get().get(5, TimeUnit.SECONDS).body()).isEqualTo(SCRIPT);
	}

	@Test
	void aClientThatThrowsFailsThatFetchOnlyAndTheNextOneUsesAFreshClient() throws Exception {
		UpstreamScript script = new UpstreamScript(clients(new BrokenHttpClient(true)), servingTheScript(), "/WebphoneAPI",
				Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ZERO);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> script.get().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IllegalStateException.class);

		assertThat(script.get().get(5, TimeUnit.SECONDS).body()).isEqualTo(SCRIPT);
	}

	/** {@code first}, then real clients. */
	private static Supplier<HttpClient> clients(HttpClient first) {
		Deque<HttpClient> clients = new ArrayDeque<>(List.of(first));
		return () -> clients.isEmpty() ? HttpClient.newHttpClient() : clients.poll();
	}

	private Upstream servingTheScript() throws IOException {
		this.upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.upstream.createContext("/WebphoneAPI", (exchange) -> {
			byte[] body = SCRIPT.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (exchange) {
				exchange.getResponseBody().write(body);
			}
		});
		this.upstream.start();
		return Upstream.of("http://localhost:" + this.upstream.getAddress().getPort());
	}

	/** An HTTP client that has stopped working: its requests never complete, or it throws. */
	private static final class BrokenHttpClient extends HttpClient {

		private final boolean throwing;

		BrokenHttpClient(boolean throwing) {
			this.throwing = throwing;
		}

		@Override
		public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
				HttpResponse.BodyHandler<T> handler) {
			if (this.throwing) {
				throw new IllegalStateException("this client has stopped working");
			}
			return new CompletableFuture<>();
		}

		@Override
		public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
				HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
			return sendAsync(request, handler);
		}

		@Override
		public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Optional<CookieHandler> cookieHandler() {
			return Optional.empty();
		}

		@Override
		public Optional<Duration> connectTimeout() {
			return Optional.empty();
		}

		@Override
		public Redirect followRedirects() {
			return Redirect.NEVER;
		}

		@Override
		public Optional<ProxySelector> proxy() {
			return Optional.empty();
		}

		@Override
		public SSLContext sslContext() {
			return null;
		}

		@Override
		public SSLParameters sslParameters() {
			return null;
		}

		@Override
		public Optional<Authenticator> authenticator() {
			return Optional.empty();
		}

		@Override
		public Version version() {
			return Version.HTTP_1_1;
		}

		@Override
		public Optional<Executor> executor() {
			return Optional.empty();
		}

	}

}
