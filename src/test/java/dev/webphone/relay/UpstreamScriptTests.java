package dev.webphone.relay;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fetching the upstream's script when nothing answers; the happy path runs against a real upstream in
 * {@link RelayIntegrationTests}.
 */
class UpstreamScriptTests {

	@Test
	void everyFetchAfterAFailureFailsPromptlyToo() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		UpstreamScript script = new UpstreamScript(HttpClient.newHttpClient(),
				Upstream.of("http://localhost:" + closed), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO);
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> script.get().get(3, TimeUnit.SECONDS));
		}
	}

}
