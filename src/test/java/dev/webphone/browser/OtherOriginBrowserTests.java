package dev.webphone.browser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The tutorial's own set-up: its page on another web server (another origin) loads
 * {@code http://HOST:PORT/WebphoneAPI} from this server and runs its code unchanged.
 */
@Tag("browser")
class OtherOriginBrowserTests {

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	private TestPages pages;

	@BeforeEach
	void startOtherServer() {
		this.pages = TestPages.start();
	}

	@AfterEach
	void stopOtherServer() {
		this.pages.close();
	}

	String page(int port) {
		return this.pages.url("tutorial-elsewhere.html") + "?port=" + port;
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "webphone.signaling.allowed-origins=http://127.0.0.1:*")
	class WhenTheOriginIsAllowed {

		@LocalServerPort
		int port;

		@Test
		void twoTabsCallAndHearEachOther() {
			Browser a = OtherOriginBrowserTests.this.browsers.open(page(this.port), browsers.tone(440));
			Browser b = OtherOriginBrowserTests.this.browsers.open(page(this.port), browsers.tone(1000));
			a.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
			b.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
			a.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
			b.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class WhenTheOriginIsNotAllowed {

		@LocalServerPort
		int port;

		@Test
		void theConnectionFailsVisibly() {
			Browser a = OtherOriginBrowserTests.this.browsers.open(page(this.port));
			a.awaitConsole((line) -> line.contains("CONNECTION_FAILED"), VoiceCallBrowserTests.CALL_SET_UP);
		}

	}

}
