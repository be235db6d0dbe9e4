package dev.webphone.browser;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.webphone.browser.PhonePages.UI;
import static dev.webphone.browser.PhonePages.assertNoErrors;
import static dev.webphone.browser.PhonePages.awaitHidden;
import static dev.webphone.browser.PhonePages.awaitText;
import static dev.webphone.browser.PhonePages.awaitVisible;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.element;
import static dev.webphone.browser.PhonePages.ownNumber;
import static dev.webphone.browser.PhonePages.screenshot;
import static dev.webphone.browser.PhonePages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The softphone at {@code /phone}, driven by clicks in two real browsers as a user would: each sees
 * the other online, one calls from the list or the dial pad, the other accepts from the banner, both
 * hear each other, hold and resume (silence both ways meanwhile), mute, chat, press keys that the other
 * side sees, and either hangs up. Screenshots of each step go to {@code target/screenshots}.
 * Same server configuration as {@link VoiceCallBrowserTests}, so the two share one server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PhoneBrowserTests {

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Test
	void aCallFromTheOnlineListIsAcceptedFromTheBannerAndHungUp() throws IOException {
		Browser ann = open("Ann", 440);
		Browser bob = open("Bob", 1000);
		String annNumber = ownNumber(ann);
		String bobNumber = ownNumber(bob);

		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		awaitText(ann, "call-status", "Ringing...");
		awaitVisible(bob, "incoming");
		assertThat(text(bob, "incoming-text")).isEqualTo("Incoming call from Ann (" + annNumber + ")");
		screenshot(bob, "phone-incoming");
		click(bob, By.id("accept"));

		awaitText(ann, "call-status", "In call");
		awaitText(bob, "call-status", "In call");
		assertThat(text(ann, "call-with")).isEqualTo("Bob (" + bobNumber + ")");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
		await().atMost(UI).until(() -> !"00:00".equals(text(ann, "call-timer")));
		// The call's quality, and the sound of both sides: each hears a steady tone from the other.
		await().atMost(UI).untilAsserted(() -> assertThat(text(ann, "quality")).matches(
				"Quality: \\d+ ms round trip, \\d+ ms jitter, [0-9.]+ % lost, \\d+ kbit/s in, \\d+ out"));
		await().atMost(UI).untilAsserted(() -> {
			assertThat(Double.parseDouble(element(bob, "remote-level").getDomProperty("value"))).isPositive();
			assertThat(Double.parseDouble(element(bob, "local-level").getDomProperty("value"))).isPositive();
		});
		screenshot(ann, "phone-in-call");

		click(bob, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		awaitHidden(bob, "in-call");
		assertThat(element(ann, "call").isEnabled()).as("Ann can call again").isTrue();
		screenshot(ann, "phone-after-call");
		assertNoErrors(ann);
		assertNoErrors(bob);
	}

	@Test
	void aNumberTypedOnTheDialPadIsCalledAndAnUnknownOneIsExplained() throws IOException {
		Browser ann = open("Ann", 440);
		Browser bob = open("Bob", 1000);
		ownNumber(ann);
		String bobNumber = ownNumber(bob);

		for (char digit : bobNumber.toCharArray()) {
			click(ann, By.cssSelector("#keypad button[data-key='" + digit + "']"));
		}
		assertThat(element(ann, "number").getDomProperty("value")).isEqualTo(bobNumber);
		click(ann, By.id("call"));
		awaitVisible(bob, "incoming");
		click(bob, By.id("reject"));
		awaitText(ann, "notice", bobNumber + " declined the call.");

		element(ann, "number").clear();
		element(ann, "number").sendKeys("99999");
		click(ann, By.id("call"));
		awaitText(ann, "notice", "99999 is not online.");
		screenshot(ann, "phone-not-found");
		assertNoErrors(ann);
	}

	@Test
	void aCallDialledFromThePadIsHeldResumedMutedChattedKeyedAndHungUpByClicks() throws IOException {
		Browser ann = open("Ann", 440);
		Browser bob = open("Bob", 1000);
		String annNumber = ownNumber(ann);
		String bobNumber = ownNumber(bob);

		for (char digit : bobNumber.toCharArray()) {
			click(ann, By.cssSelector("#keypad button[data-key='" + digit + "']"));
		}
		click(ann, By.id("call"));
		awaitVisible(bob, "incoming");
		click(bob, By.id("accept"));
		awaitText(ann, "call-status", "In call");
		awaitText(bob, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		// Hold: both sides show it and hear nothing; the other side resumes.
		click(ann, By.id("hold"));
		awaitText(ann, "call-status", "On hold");
		awaitText(bob, "call-status", "On hold");
		awaitText(bob, "hold", "Resume");
		awaitSilence(ann, 1000);
		awaitSilence(bob, 440);
		screenshot(ann, "phone-on-hold");
		click(bob, By.id("hold"));
		awaitText(ann, "call-status", "In call");
		awaitText(bob, "call-status", "In call");
		assertThat(text(ann, "hold")).isEqualTo("Hold");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		// Mute: only Bob stops hearing Ann, and the call stays up.
		click(ann, By.id("mute"));
		awaitText(ann, "call-status", "In call (you are muted)");
		awaitText(ann, "mute", "Unmute");
		awaitSilence(bob, 440);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		assertThat(text(bob, "call-status")).isEqualTo("In call");
		click(ann, By.id("mute"));
		awaitText(ann, "call-status", "In call");
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);

		// Chat both ways, sent with the button and with Enter.
		element(ann, "chat-text").sendKeys("Hello Bob");
		click(ann, By.cssSelector("#chat button[type='submit']"));
		awaitChat(bob, "Ann (" + annNumber + "): Hello Bob");
		element(bob, "chat-text").sendKeys("Hi Ann" + Keys.ENTER);
		awaitChat(ann, "You: Hello Bob", "Bob (" + bobNumber + "): Hi Ann");
		awaitChat(bob, "Ann (" + annNumber + "): Hello Bob", "You: Hi Ann");

		// The keypad sends tones during the call, by click and by keyboard.
		click(ann, By.cssSelector("#keypad button[data-key='5']"));
		click(ann, By.cssSelector("#keypad button[data-key='#']"));
		ann.driver().findElement(By.tagName("body")).sendKeys("9");
		awaitText(ann, "dtmf-sent", "You pressed 5#9");
		awaitText(bob, "dtmf-received", "Ann (" + annNumber + ") pressed 5#9");
		assertThat(element(ann, "number").getDomProperty("value")).as("keys in a call do not dial").isEqualTo(bobNumber);
		screenshot(bob, "phone-chat-and-keys");

		click(bob, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		awaitHidden(bob, "in-call");
		assertThat(element(ann, "call").isEnabled()).isTrue();
		assertNoErrors(ann);
		assertNoErrors(bob);
	}

	private static void awaitSilence(Browser browser, int toneHz) {
		await().atMost(UI).pollInterval(Duration.ofMillis(200)).pollInSameThread().untilAsserted(() -> {
			ToneSpectrum heard = browser.listen(VoiceCallBrowserTests.REMOTE_AUDIO);
			assertThat(heard.isAudible(toneHz)).as("%s still hears %d Hz: %s", browser, toneHz, heard).isFalse();
		});
	}

	private static void awaitChat(Browser browser, String... lines) {
		// The log is redrawn as messages arrive: an entry read while it is replaced is read again.
		await().atMost(UI).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> assertThat(browser.driver()
			.findElements(By.cssSelector("#chat-log li"))
			.stream()
			.map(WebElement::getText)
			.toList()).containsExactly(lines));
	}

	private Browser open(String name, int toneHz) {
		Browser browser = this.browsers.open("http://localhost:" + this.port + "/phone?name=" + name,
				this.browsers.tone(toneHz));
		await().atMost(UI).until(() -> text(browser, "own-number").startsWith("Your number: "));
		return browser;
	}

}
