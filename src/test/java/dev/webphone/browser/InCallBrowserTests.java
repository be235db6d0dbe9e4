package dev.webphone.browser;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.webphone.browser.VoiceCallBrowserTests.CALL_SET_UP;
import static dev.webphone.browser.VoiceCallBrowserTests.REMOTE_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens during a call, in two real Chromiums that each send their own tone: the tutorial's
 * {@code /voicecall} page sets the call up, and the test then drives its {@code MyCall} as a page
 * would. Holding silences both directions until either side takes the call off hold; muting silences
 * one direction while the call stays {@code IN_CALL}; chat messages and DTMF reach the other page.
 * Same server configuration as {@link VoiceCallBrowserTests}, so the same server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class InCallBrowserTests {

	private static final int LOW_HZ = 440;

	private static final int HIGH_HZ = 1000;

	/** The jitter buffer plays out what it holds, and the probe averages over its window. */
	private static final Duration FADE = Duration.ofSeconds(10);

	/** What the page's open peer connections send, by track kind ({@code null}: nothing). */
	private static final String SENDING = """
			return (window.webphoneTestPeers || []).filter((p) => p.connectionState !== 'closed')
			  .flatMap((p) => p.getSenders().map((s) => s.track ? s.track.kind : null));
			""";

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().withScriptOnEveryPage(PeerConnections.WATCH);

	@LocalServerPort
	int port;

	@Test
	void holdSilencesBothSidesUntilEitherTakesTheCallOffHold() {
		Browser[] tabs = callBetweenTwoTabs();
		Browser low = tabs[0];
		Browser high = tabs[1];

		run(low, "MyCall.hold()");
		awaitCallState(low, "HOLD");
		awaitCallState(high, "HOLD");
		awaitSilence(high, LOW_HZ);
		awaitSilence(low, HIGH_HZ);
		for (Browser tab : tabs) {
			assertThat(script(tab, SENDING)).as("what %s sends while held", tab).isEqualTo(Collections.singletonList(null));
		}
		assertThat((String) script(high, "return document.getElementById('webphone-status').textContent"))
			.as("a held call is still a call").contains("In a call with ");

		// The side that did not hold takes the call off hold.
		run(high, "MyCall.unHold()");
		awaitCallState(low, "IN_CALL");
		awaitCallState(high, "IN_CALL");
		low.assertHearsTone(REMOTE_AUDIO, HIGH_HZ);
		high.assertHearsTone(REMOTE_AUDIO, LOW_HZ);
		for (Browser tab : tabs) {
			assertThat(script(tab, SENDING)).as("what %s sends after the hold", tab).isEqualTo(List.of("audio"));
			assertNoErrors(tab);
		}
	}

	@Test
	void muteSilencesOnlyThisSideAndTheCallStaysInCall() {
		Browser[] tabs = callBetweenTwoTabs();
		Browser low = tabs[0];
		Browser high = tabs[1];

		run(low, "MyCall.mute()");
		assertThat(script(low, "return MyCall.isMuted()")).isEqualTo(true);
		awaitSilence(high, LOW_HZ);
		low.assertHearsTone(REMOTE_AUDIO, HIGH_HZ);
		assertThat(callState(low)).isEqualTo("IN_CALL");
		assertThat(callState(high)).isEqualTo("IN_CALL");

		run(low, "MyCall.unMute()");
		high.assertHearsTone(REMOTE_AUDIO, LOW_HZ);
		assertThat(script(low, "return MyCall.isMuted()")).isEqualTo(false);
		for (Browser tab : tabs) {
			assertThat(tab.consoleLines()).as("console of %s", tab).noneMatch((line) -> line.contains("HOLD"));
			assertNoErrors(tab);
		}
	}

	@Test
	void chatMessagesGoBothWaysAndDtmfArrivesAsAnEventOnTheOtherPage() {
		Browser[] tabs = callBetweenTwoTabs();
		Browser low = tabs[0];
		Browser high = tabs[1];
		String record = """
				window.testHeard = [];
				MyCall.onMessageReceived((m) => window.testHeard.push('message ' + m.from + ': ' + m));
				MyCall.onDtmfReceived((d) => window.testHeard.push('dtmf ' + d.from + ': ' + d.digits));
				""";
		run(low, record);
		run(high, record);
		String lowNumber = (String) script(high, "return MyCall.getOtherParty()");
		String highNumber = (String) script(low, "return MyCall.getOtherParty()");
		// The tones DTMF plays on the sender, which the browser reports as it sends them (RFC 4733).
		run(low, """
				window.testTones = [];
				window.webphoneTestPeers.filter((p) => p.connectionState !== 'closed')
				  .flatMap((p) => p.getSenders()).filter((s) => s.dtmf)
				  .forEach((s) => s.dtmf.addEventListener('tonechange', (e) => window.testTones.push(e.tone)));
				""");

		assertThat(script(low, "return MyCall.sendMessage('Hello from " + LOW_HZ + " \u00e9\ud83d\ude00')")).isEqualTo(true);
		assertThat(script(high, "return MyCall.sendMessage('Hello back')")).isEqualTo(true);
		assertThat(script(low, "return MyCall.sendDtmf('12#')")).isEqualTo(true);

		awaitHeard(high, "message " + lowNumber + ": Hello from 440 \u00e9\ud83d\ude00", "dtmf " + lowNumber + ": 12#");
		awaitHeard(low, "message " + highNumber + ": Hello back");
		await().atMost(CALL_SET_UP)
			.untilAsserted(() -> assertThat(script(low, "return window.testTones.join('')")).isEqualTo("12#"));

		// Held, they still talk in writing.
		run(high, "MyCall.hold()");
		awaitCallState(low, "HOLD");
		run(low, "MyCall.sendMessage('Still there?')");
		awaitHeard(high, "message " + lowNumber + ": Hello from 440 \u00e9\ud83d\ude00", "dtmf " + lowNumber + ": 12#",
				"message " + lowNumber + ": Still there?");
		for (Browser tab : tabs) {
			assertNoErrors(tab);
		}
	}

	/** The tutorial's page in two tabs, 440 Hz and 1000 Hz, in a call that both hear. */
	private Browser[] callBetweenTwoTabs() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(LOW_HZ));
		Browser high = this.browsers.open(page, this.browsers.tone(HIGH_HZ));
		awaitCallState(low, "IN_CALL");
		awaitCallState(high, "IN_CALL");
		low.assertHearsTone(REMOTE_AUDIO, HIGH_HZ);
		high.assertHearsTone(REMOTE_AUDIO, LOW_HZ);
		return new Browser[] { low, high };
	}

	private static void awaitSilence(Browser browser, int toneHz) {
		await().atMost(FADE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).pollInSameThread()
			.untilAsserted(() -> {
				ToneSpectrum heard = browser.listen(REMOTE_AUDIO);
				assertThat(heard.isAudible(toneHz)).as("%s still hears %d Hz: %s", browser, toneHz, heard).isFalse();
			});
		// And it stays so: not a gap between two packets.
		ToneSpectrum again = browser.listen(REMOTE_AUDIO);
		assertThat(again.isAudible(toneHz)).as("%s hears %d Hz again: %s", browser, toneHz, again).isFalse();
	}

	private static void awaitCallState(Browser browser, String state) {
		await().atMost(CALL_SET_UP).untilAsserted(() -> assertThat(callState(browser)).as("%s", browser).isEqualTo(state));
	}

	private static Object callState(Browser browser) {
		return script(browser, "return window.MyCall ? MyCall.getCallState() : null");
	}

	private static void awaitHeard(Browser browser, String... expected) {
		await().atMost(CALL_SET_UP)
			.untilAsserted(() -> assertThat(script(browser, "return window.testHeard")).as("heard by %s", browser)
				.isEqualTo(List.of(expected)));
	}

	private static void run(Browser browser, String script) {
		script(browser, script);
	}

	private static Object script(Browser browser, String script) {
		return ((JavascriptExecutor) browser.driver()).executeScript(script);
	}

	private static void assertNoErrors(Browser browser) {
		assertThat(browser.consoleLines()).as("console of %s", browser)
			.noneMatch((line) -> line.startsWith("SEVERE"))
			.noneMatch((line) -> line.contains("not sent as tones"));
	}

}
