package dev.webphone.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Video calls in real browsers whose fake cameras show different colours (and whose microphones play
 * different tones): each side decodes a live picture of the other's camera at its full size, on the
 * {@code /videocall} page, and on {@code /phone}, where a voice call becomes a video call and back by
 * the Video button. Screenshots go to {@code target/screenshots}. Same server configuration as
 * {@link VoiceCallBrowserTests}, so the two share one server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class VideoCallBrowserTests {

	private static final Duration UI = Duration.ofSeconds(20);

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().withScriptOnEveryPage(VoiceCallBrowserTests.MICROPHONE_WATCH);

	@LocalServerPort
	int port;

	@Test
	void twoTabsOnTheVideoCallPageCallEachOtherAndSeeEachOther() throws IOException {
		String page = "http://localhost:" + this.port + "/videocall";
		Browser red = this.browsers.open(page, this.browsers.tone(440), this.browsers.camera(FakeCamera.Colour.RED));
		Browser blue = this.browsers.open(page, this.browsers.tone(1000), this.browsers.camera(FakeCamera.Colour.BLUE));
		red.awaitConsole((line) -> line.contains("IN_CALL"), UI);
		blue.awaitConsole((line) -> line.contains("IN_CALL"), UI);

		red.assertSeesCamera("#remote-video", FakeCamera.Colour.BLUE);
		blue.assertSeesCamera("#remote-video", FakeCamera.Colour.RED);
		red.assertSeesCamera("#local-video", FakeCamera.Colour.RED);
		blue.assertSeesCamera("#local-video", FakeCamera.Colour.BLUE);
		red.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		blue.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
		for (Browser tab : new Browser[] { red, blue }) {
			assertThat(text(tab, "status")).startsWith("In a video call with ");
			assertThat(script(tab, "return document.getElementById('remote-video').muted")).as("sound only from the audio element")
				.isEqualTo(true);
		}
		screenshot(red, "videocall-in-call");

		click(blue, By.id("hang-up"));
		for (Browser tab : new Browser[] { red, blue }) {
			await().atMost(UI).untilAsserted(() -> {
				assertThat(text(tab, "header")).isEqualTo("The call is hung up.");
				assertThat(script(tab, VoiceCallBrowserTests.MICROPHONE_RELEASED)).as("camera and microphone released in " + tab)
					.isEqualTo(true);
			});
			tab.assertSeesNoVideo("#remote-video");
			tab.assertSeesNoVideo("#local-video");
			assertNoErrors(tab);
		}
	}

	@Test
	void aVoiceCallOnThePhoneBecomesAVideoCallBothWaysAndAVoiceCallAgain() throws IOException {
		Browser ann = openPhone("Ann", 440, FakeCamera.Colour.RED);
		Browser bob = openPhone("Bob", 1000, FakeCamera.Colour.BLUE);
		String bobNumber = ownNumber(bob);
		ownNumber(ann);
		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		click(bob, By.id("accept"));
		awaitText(ann, "call-status", "In call");
		awaitText(bob, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		bob.assertSeesNoVideo("#remote-video");
		assertThat(element(ann, "video").getText()).isEqualTo("Video on");

		// Ann turns her camera on: a renegotiation in the call, and Bob sees her.
		click(ann, By.id("video"));
		bob.assertSeesCamera("#remote-video", FakeCamera.Colour.RED);
		ann.assertSeesCamera("#local-video", FakeCamera.Colour.RED);
		awaitText(ann, "video", "Video off");
		ann.assertSeesNoVideo("#remote-video");

		// Bob answers with his: both see each other, and still hear each other.
		click(bob, By.id("video"));
		ann.assertSeesCamera("#remote-video", FakeCamera.Colour.BLUE);
		bob.assertSeesCamera("#remote-video", FakeCamera.Colour.RED);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
		screenshot(ann, "phone-video-call");

		// Ann turns hers off again; Bob's goes on.
		click(ann, By.id("video"));
		bob.assertSeesNoVideo("#remote-video");
		ann.assertSeesNoVideo("#local-video");
		ann.assertSeesCamera("#remote-video", FakeCamera.Colour.BLUE);
		awaitText(ann, "video", "Video on");
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		click(bob, By.id("video"));
		ann.assertSeesNoVideo("#remote-video");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		assertThat(text(ann, "call-status")).isEqualTo("In call");
		screenshot(ann, "phone-video-off-again");
		assertNoErrors(ann);
		assertNoErrors(bob);
	}

	private Browser openPhone(String name, int toneHz, FakeCamera.Colour camera) {
		Browser browser = this.browsers.open("http://localhost:" + this.port + "/phone?name=" + name,
				this.browsers.tone(toneHz), this.browsers.camera(camera));
		await().atMost(UI).until(() -> text(browser, "own-number").startsWith("Your number: "));
		return browser;
	}

	private static String ownNumber(Browser browser) {
		return text(browser, "own-number").substring("Your number: ".length());
	}

	private static WebElement element(Browser browser, String id) {
		return browser.driver().findElement(By.id(id));
	}

	private static String text(Browser browser, String id) {
		return element(browser, id).getText().trim();
	}

	private static Object script(Browser browser, String script) {
		return ((JavascriptExecutor) browser.driver()).executeScript(script);
	}

	private static void click(Browser browser, By button) {
		await().atMost(UI).ignoreExceptions().until(() -> {
			WebElement element = browser.driver().findElement(button);
			if (!element.isDisplayed() || !element.isEnabled()) {
				return false;
			}
			element.click();
			return true;
		});
	}

	private static void awaitText(Browser browser, String id, String expected) {
		await().atMost(UI).untilAsserted(() -> assertThat(text(browser, id)).isEqualTo(expected));
	}

	/** No script error, and nothing the Content-Security-Policy refused. */
	private static void assertNoErrors(Browser browser) {
		assertThat(browser.consoleLines()).as("console of %s", browser)
			.noneMatch((line) -> line.startsWith("SEVERE") && !line.contains("favicon"))
			.noneMatch((line) -> line.contains("Content Security Policy"));
	}

	private static void screenshot(Browser browser, String name) throws IOException {
		Path file = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(SCREENSHOTS);
		Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
