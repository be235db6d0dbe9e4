package dev.webphone.browser;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import dev.webphone.ice.CoturnExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay-only call when the server's TURN secret is not coturn's: coturn refuses every
 * allocation, and the call must end with {@code ERROR} and a reason that names the refusal within
 * seconds, not hang until the client's 30 s media time-out.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RelayWrongSecretBrowserTests {

	/** Well under the client's 30 s media time-out, which would also end the call, but with ERROR. */
	private static final Duration FAILS_WITHIN = Duration.ofSeconds(15);

	@RegisterExtension
	static final CoturnExtension turn = CoturnExtension
		.withSecret("the-secret-coturn-knows-" + Long.toHexString(System.nanoTime()));

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void relayOnlyWithAnotherSecret(DynamicPropertyRegistry registry) {
		registry.add("webphone.ice.servers[0].urls", () -> String.join(",", turn.coturn().turnUrls()));
		registry.add("webphone.ice.servers[0].shared-secret", () -> "not-the-secret-coturn-knows");
		registry.add("webphone.ice.transport-policy", () -> "relay");
	}

	@Test
	void callEndsWithErrorNamingTheTurnRefusal() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser first = this.browsers.open(page, this.browsers.tone(440));
		Browser second = this.browsers.open(page, this.browsers.tone(1000));
		first.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		second.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		long connected = System.nanoTime();

		// Whichever side gathers first fails and hangs up; the other sees its own ERROR or COMPLETED.
		String failure = awaitEither(first, second,
				(line) -> line.contains("failed: no TURN relay could be allocated"), FAILS_WITHIN);
		Duration toFailure = Duration.ofNanos(System.nanoTime() - connected);
		assertThat(failure).contains("401").contains("turn:" + turn.coturn().host() + ":" + turn.coturn().port());
		System.out.println("Relay with a wrong TURN secret failed " + toFailure.toMillis() + " ms after IN_CALL: "
				+ failure);
		// The tutorial page logs each call state; the failing side logs ERROR, the other COMPLETED at least.
		awaitEither(first, second, RelayWrongSecretBrowserTests::isErrorState, FAILS_WITHIN);
		for (Browser browser : new Browser[] { first, second }) {
			browser.awaitConsole((line) -> isErrorState(line) || line.endsWith("COMPLETED\""), FAILS_WITHIN);
		}
	}

	private static boolean isErrorState(String line) {
		return line.endsWith("\"ERROR\"") || line.endsWith(" ERROR");
	}

	private static String awaitEither(Browser a, Browser b, Predicate<String> condition, Duration timeout) {
		AtomicReference<String> found = new AtomicReference<>();
		await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
			for (Browser browser : new Browser[] { a, b }) {
				browser.consoleLines().stream().filter(condition).findFirst().ifPresent(found::set);
			}
			return found.get() != null;
		});
		return found.get();
	}

}
