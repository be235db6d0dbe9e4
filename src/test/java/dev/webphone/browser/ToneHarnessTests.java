package dev.webphone.browser;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the browser harness without the product: a page that sends its fake microphone through two
 * RTCPeerConnections back to back and plays what arrives in an {@code <audio data-webphone-remote>}.
 */
@Tag("browser")
class ToneHarnessTests {

	private static final String REMOTE_AUDIO = "audio[data-webphone-remote]";

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static TestPages pages;

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@BeforeAll
	static void startPages() {
		pages = TestPages.start();
	}

	@AfterAll
	static void stopPages() {
		pages.close();
	}

	@Test
	void eachBrowserHearsItsOwnToneAndNotTheOther() {
		// Both at once: if the fake capture file were shared, one of them would hear the other's tone.
		Browser low = this.browsers.open(pages.url("loopback.html"), this.browsers.tone(440));
		Browser high = this.browsers.open(pages.url("loopback.html"), this.browsers.tone(1000));

		low.awaitConsole(line -> line.contains("LOOPBACK connected"), CONNECT_TIMEOUT);
		high.awaitConsole(line -> line.contains("LOOPBACK connected"), CONNECT_TIMEOUT);

		ToneSpectrum lowHeard = low.assertHearsTone(REMOTE_AUDIO, 440);
		ToneSpectrum highHeard = high.assertHearsTone(REMOTE_AUDIO, 1000);
		assertThat(lowHeard.isAudible(1000)).as("440 Hz browser hears 1000 Hz: %s", lowHeard).isFalse();
		assertThat(highHeard.isAudible(440)).as("1000 Hz browser hears 440 Hz: %s", highHeard).isFalse();
	}

	@Test
	void hearingAssertionFailsForAToneTheBrowserDoesNotReceive() {
		Browser browser = this.browsers.open(pages.url("loopback.html"), this.browsers.tone(440));
		browser.assertHearsTone(REMOTE_AUDIO, 440);

		// Audio is already flowing, so two listening windows suffice; a longer wait would only slow the build.
		assertThatThrownBy(() -> browser.assertHearsTone(REMOTE_AUDIO, 1000, Duration.ofMillis(2500)))
			.hasMessageContaining("hears 1000 Hz").hasMessageContaining("peak 441 Hz");
	}

	@Test
	void consoleWaitSeesLinesLoggedBeforeItBeganAndFailsListingWhatItSaw() {
		Browser browser = this.browsers.open(pages.url("loopback.html"), this.browsers.tone(440));
		browser.awaitConsole(line -> line.contains("LOOPBACK connected"), CONNECT_TIMEOUT);

		// The line was already taken from ChromeDriver by the first wait; a second wait still finds it.
		assertThat(browser.awaitConsole(line -> line.contains("LOOPBACK connected"), Duration.ofMillis(500)))
			.contains("LOOPBACK connected");
		assertThatThrownBy(() -> browser.awaitConsole(line -> line.contains("never logged"), Duration.ofMillis(500)))
			.hasMessageContaining("LOOPBACK connected");
	}

}
