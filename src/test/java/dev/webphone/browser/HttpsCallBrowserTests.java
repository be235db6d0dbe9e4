package dev.webphone.browser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The LAN demo set-up: the server on HTTPS with its generated self-signed certificate (accepted
 * here as a user would click through the warning), the tutorial page over {@code https:}, its
 * signalling over {@code wss:}, and a call heard both ways.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.tls.self-signed.enabled=true",
				"webphone.tls.self-signed.directory=${java.io.tmpdir}/webphone-tls-browser-${random.uuid}" })
class HttpsCallBrowserTests {

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().ignoringCertificateErrors();

	@LocalServerPort
	int port;

	@Test
	void callOverHttpsSignalsOverWssAndIsHeardBothWays() {
		String page = "https://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		String socket = "wss://localhost:" + this.port + "/webphone/ws";
		for (Browser browser : new Browser[] { low, high }) {
			browser.awaitConsole((line) -> line.contains("connecting to line") && line.contains(socket),
					VoiceCallBrowserTests.CALL_SET_UP);
			browser.awaitConsole((line) -> line.contains("ACCESS_GRANTED"), VoiceCallBrowserTests.CALL_SET_UP);
		}
		low.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);

		low.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		high.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
	}

}
