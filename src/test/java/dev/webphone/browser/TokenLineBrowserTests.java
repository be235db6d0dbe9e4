package dev.webphone.browser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A line closed by a static token, in real browsers: the tutorial's page, given the token as the second
 * argument of {@code connect()}, joins and calls; a page that names the line instead is refused, and
 * the reason reaches its {@code onConnectionStateChanged} handler.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.lines[0].name=Sales", "webphone.access.lines[0].name=Sales",
				"webphone.access.lines[0].tokens=" + TokenLineBrowserTests.TOKEN,
				"webphone.page.line=" + TokenLineBrowserTests.TOKEN })
class TokenLineBrowserTests {

	static final String TOKEN = "sales-browser-0123456789";

	/** Connects again, naming the line instead of giving its token, and keeps what the page is told. */
	static final String CONNECT_WITHOUT_TOKEN = """
			OzWebClient.disconnect();
			window.seenByPage = [];
			OzWebClient.onConnectionStateChanged(function (state) {
			  window.seenByPage.push(String(state) + ': ' + state.reason);
			});
			OzWebClient.connect(location.hostname, 'Sales');
			""";

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Test
	void twoTutorialPagesWithTheTokenJoinTheLineAndCall() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser a = this.browsers.open(page, this.browsers.tone(440));
		Browser b = this.browsers.open(page, this.browsers.tone(1000));
		a.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		b.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		assertThat(a.consoleLines()).as("console").noneMatch((line) -> line.startsWith("SEVERE"));
	}

	@Test
	void thePageIsToldWhyItWasDenied() {
		Browser browser = this.browsers.open("http://localhost:" + this.port + "/voicecall");
		browser.awaitConsole((line) -> line.contains("ACCESS_GRANTED"), VoiceCallBrowserTests.CALL_SET_UP);
		JavascriptExecutor page = (JavascriptExecutor) browser.driver();
		page.executeScript(CONNECT_WITHOUT_TOKEN);
		await().atMost(VoiceCallBrowserTests.CALL_SET_UP).untilAsserted(() -> assertThat(
				String.valueOf(page.executeScript("return (window.seenByPage || []).join('\\n');")))
			.contains("ACCESS_DENIED: access denied: The webphone line 'Sales' needs a token"));
	}

}
