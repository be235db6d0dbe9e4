package dev.webphone.browser;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tutorial's two-tab flow in real browsers: the {@code /voicecall} page, unchanged, in two
 * Chromiums that each send their own tone; they call each other, hear each other, and "Hang up" in
 * either ends the call in both.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class VoiceCallBrowserTests {

	static final String REMOTE_AUDIO = "audio[data-webphone-remote]";

	static final Duration CALL_SET_UP = Duration.ofSeconds(20);

	/** Keeps every microphone stream a page gets, so the test can see that each is released. */
	static final String MICROPHONE_WATCH = """
			(() => {
			  const streams = [];
			  window.webphoneTestStreams = streams;
			  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
			  navigator.mediaDevices.getUserMedia = (constraints) =>
			    getUserMedia(constraints).then((stream) => { streams.push(stream); return stream; });
			})();
			""";

	static final String MICROPHONE_RELEASED = """
			const streams = window.webphoneTestStreams || [];
			return streams.length > 0 && streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended'));
			""";

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().withScriptOnEveryPage(MICROPHONE_WATCH);

	@LocalServerPort
	int port;

	/**
	 * The tutorial's random timer decides who dials, so repetitions also cover simultaneous dialling;
	 * odd and even repetitions hang up from different tabs.
	 */
	@RepeatedTest(20)
	void twoTabsCallHearEachOtherAndHangUpTogether(RepetitionInfo repetition) {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);

		// Each tab sees the other: the second through the list of clients already online when it joined.
		for (Browser tab : new Browser[] { low, high }) {
			assertThat(tab.driver().findElement(By.id("webphone-status")).getText()).startsWith("This tab is number")
				.contains("Online: ");
		}

		// ... and says whom it is in a call with.
		for (Browser tab : new Browser[] { low, high }) {
			await().atMost(CALL_SET_UP)
				.untilAsserted(() -> assertThat(tab.driver().findElement(By.id("webphone-status")).getText())
					.contains("In a call with "));
		}

		ToneSpectrum heardByLow = low.assertHearsTone(REMOTE_AUDIO, 1000);
		ToneSpectrum heardByHigh = high.assertHearsTone(REMOTE_AUDIO, 440);
		assertThat(heardByLow.isAudible(440)).as("the 440 Hz side hears its own tone").isFalse();
		assertThat(heardByHigh.isAudible(1000)).as("the 1000 Hz side hears its own tone").isFalse();

		Browser hangingUp = (repetition.getCurrentRepetition() % 2 == 0) ? low : high;
		Browser other = (hangingUp == low) ? high : low;
		hangingUp.driver().findElement(By.tagName("button")).click();
		other.awaitConsole((line) -> line.contains("COMPLETED"), CALL_SET_UP);
		for (Browser browser : new Browser[] { hangingUp, other }) {
			await().atMost(CALL_SET_UP).untilAsserted(() -> {
				assertThat(browser.driver().findElement(By.id("header")).getText()).isEqualTo("The call is hung up.");
				assertThat(browser.driver().findElement(By.id("webphone-status")).getText())
					.doesNotContain("In a call with");
				assertThat(browser.driver().findElements(By.cssSelector(REMOTE_AUDIO))).as("remote audio element")
					.isEmpty();
				assertThat(((JavascriptExecutor) browser.driver()).executeScript(MICROPHONE_RELEASED))
					.as("microphone released in " + browser)
					.isEqualTo(true);
			});
			// A clean console: the tutorial's users follow the call there.
			assertThat(browser.consoleLines()).as("console of " + browser).noneMatch((line) -> line.startsWith("SEVERE"));
		}
	}

}
