package dev.webphone.browser;

import java.io.IOException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.webphone.browser.PhonePages.UI;
import static dev.webphone.browser.PhonePages.assertNoErrors;
import static dev.webphone.browser.PhonePages.awaitText;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.element;
import static dev.webphone.browser.PhonePages.ownNumber;
import static dev.webphone.browser.PhonePages.screenshot;
import static dev.webphone.browser.PhonePages.script;
import static dev.webphone.browser.PhonePages.text;
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

}
