package dev.webphone.browser;

import java.time.Duration;
import java.util.Map;

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
 * The tutorial's call forced through a real coturn ({@code webphone.ice.transport-policy=relay}),
 * with credentials issued from the secret coturn shares: both sides hear each other, and the path
 * ICE chose runs from relay to relay; a call whose relay is cut and comes back stays up.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RelayedCallBrowserTests {

	private static final String SECRET = "relay-test-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final CoturnExtension turn = CoturnExtension.withSecret(SECRET);

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().withScriptOnEveryPage(PeerConnections.WATCH);

	@LocalServerPort
	int port;

	/** Read when the context starts, which is after {@link #turn} has started coturn. */
	@DynamicPropertySource
	static void relayOnly(DynamicPropertyRegistry registry) {
		registry.add("webphone.ice.servers[0].urls", () -> String.join(",", turn.coturn().turnUrls()));
		registry.add("webphone.ice.servers[0].shared-secret", () -> SECRET);
		registry.add("webphone.ice.transport-policy", () -> "relay");
	}

	@Test
	void callThroughTurnIsHeardBothWaysOverARelayedPath() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);

		low.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		high.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		for (Browser browser : new Browser[] { low, high }) {
			await().atMost(VoiceCallBrowserTests.CALL_SET_UP).untilAsserted(() -> {
				Map<String, Object> path = PeerConnections.selectedPath(browser);
				assertThat(path).as("ICE path of %s; coturn:%n%s", browser, turn.coturn().log())
					.containsEntry("policy", "relay")
					.containsEntry("pairState", "succeeded")
					.containsEntry("local", "relay")
					.containsEntry("remote", "relay");
				assertThat((String) path.get("localUrl")).as("TURN server of the local candidate")
					.startsWith("turn:" + turn.coturn().host() + ":" + turn.coturn().port());
			});
		}
	}

	/**
	 * The media path is cut (coturn killed: every relay of the call is gone) and comes back (coturn
	 * restarted): ICE on both sides goes down, the offerer restarts it until a new relay path is found,
	 * both hear each other again, and the call never leaves IN_CALL.
	 */
	@Test
	void aCallWhoseRelayIsCutAndComesBackStaysUpAndIsHeardAgain() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		low.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		high.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		turn.coturn().restart(() -> low.awaitConsole((line) -> line.contains("media path"), Duration.ofSeconds(30)));
		Browser offerer = low.consoleLines().stream().anyMatch((line) -> line.contains("restarting ICE")) ? low : high;
		offerer.awaitConsole((line) -> line.contains("restarting ICE"), VoiceCallBrowserTests.CALL_SET_UP);
		low.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000, Duration.ofSeconds(30));
		high.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440, Duration.ofSeconds(30));
		for (Browser browser : new Browser[] { low, high }) {
			assertThat(browser.consoleLines()).as("console of %s; coturn:%n%s", browser, turn.coturn().log())
				.noneMatch((line) -> line.contains("IN_CALL -> "));
		}
	}

}
