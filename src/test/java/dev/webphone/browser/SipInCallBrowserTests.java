package dev.webphone.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.signaling.SignalingConnections;
import dev.webphone.sip.JanusClient;
import dev.webphone.sip.SipLab;
import dev.webphone.sip.WavTone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.webphone.browser.PhonePages.UI;
import static dev.webphone.browser.PhonePages.assertNoErrors;
import static dev.webphone.browser.PhonePages.awaitHidden;
import static dev.webphone.browser.PhonePages.awaitText;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.text;
import static dev.webphone.browser.PhonePages.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connected call between {@code /phone} and a SIP phone (baresip, through Janus) changes: the page
 * holds and resumes it (Janus re-INVITEs the phone), the phone holds and resumes it (its re-INVITE
 * reaches the browser, whose answer goes back), the page's signalling is cut and its ICE restart goes
 * to the phone as a re-INVITE, and the page's keypad reaches the phone as DTMF.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.level.dev.webphone.sip=DEBUG")
@DirtiesContext
class SipInCallBrowserTests {

	private static final String SIP_NUMBER = "9100";

	private static final int BROWSER_TONE_HZ = 440;

	private static SipLab lab;

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Autowired
	JanusClient janus;

	@Autowired
	ApplicationContext context;

	@BeforeAll
	static void startLab() {
		SipLab.requireInstalled();
		lab = SipLab.start();
	}

	@AfterAll
	static void stopLab() {
		if (lab != null) {
			lab.close();
		}
	}

	@DynamicPropertySource
	static void sip(DynamicPropertyRegistry registry) {
		registry.add("webphone.sip.janus-url", () -> lab.janus().url());
		registry.add("webphone.sip.routes[0].match", () -> SIP_NUMBER);
		registry.add("webphone.sip.routes[0].uri", () -> lab.phone().uri());
	}

	@AfterEach
	void noSessionLeft() {
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
	}

	@Test
	void thePageHoldsTheCallThePhoneHearsNothingThenHearsTheBrowserAgainOnceResumed() {
		Browser ann = callThePhone();
		int offers = lab.phone().reInvites();

		click(ann, By.id("hold"));
		awaitText(ann, "call-status", "On hold");
		// Janus re-INVITEs the phone: it hears of the hold, not just silence.
		await().atMost(UI).until(() -> lab.phone().reInvites() > offers);
		awaitThePhoneHearsNoBrowser();

		click(ann, By.id("hold"));
		awaitText(ann, "call-status", "In call");
		await().atMost(UI).until(() -> lab.phone().reInvites() > offers + 1);
		awaitThePhoneHears(BROWSER_TONE_HZ);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		hangUp(ann);
	}

	@Test
	void thePhoneHoldsAndResumesTheCallAndBothHearEachOtherAgain() {
		Browser ann = callThePhone();

		// Janus answers a re-INVITE that only holds (sendonly) itself: the browser's session stays as it is.
		int holds = occurrences("call: hold ");
		int resumes = occurrences("call: resume ");
		lab.phone().hold(true);
		await().atMost(UI).until(() -> occurrences("call: hold ") > holds);
		lab.phone().hold(false);
		await().atMost(UI).until(() -> occurrences("call: resume ") > resumes);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		awaitThePhoneHears(BROWSER_TONE_HZ);
		assertThat(text(ann, "call-status")).isEqualTo("In call");
		hangUp(ann);
	}

	@Test
	void aResumedPageRestartsIceWithAReInviteAndBothStillHearEachOther() {
		Browser ann = callThePhone();
		String number = text(ann, "own-number").substring("Your number: ".length()).trim();
		int offers = lab.phone().reInvites();

		SignalingConnections.cut(this.context, "Webphone1", number);
		ann.awaitConsole((line) -> line.contains("restarting ICE"), UI);
		// The new offer went to the phone as a re-INVITE, and its answer came back.
		await().atMost(UI).until(() -> lab.phone().reInvites() > offers);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		awaitThePhoneHears(BROWSER_TONE_HZ);
		// One re-INVITE: the page got the phone's answer (without it, it tries the restart again).
		assertThat(lab.phone().reInvites()).isEqualTo(offers + 1);
		assertThat(ann.consoleLines()).noneMatch((line) -> line.contains("IN_CALL -> "));
		hangUp(ann);
	}

	@Test
	void theKeypadReachesThePhoneAsDtmfEachKeyOnce() {
		Browser ann = callThePhone();
		int before = lab.phone().eventParams("CALL_DTMF_START").size();

		for (String key : new String[] { "1", "2", "#" }) {
			click(ann, By.cssSelector("#keypad button[data-key='" + key + "']"));
		}
		await().atMost(UI).untilAsserted(() -> {
			List<String> keys = lab.phone().eventParams("CALL_DTMF_START");
			assertThat(keys.subList(before, keys.size())).containsExactly("1", "2", "#");
		});
		hangUp(ann);
	}

	private void hangUp(Browser ann) {
		int closed = count("CALL_CLOSED");
		click(ann, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		lab.phone().awaitEvent("CALL_CLOSED", closed + 1, UI);
		assertNoErrors(ann);
	}

	/** Dials the phone from the pad, and waits until each side hears the other's tone. */
	private Browser callThePhone() {
		Browser ann = this.browsers.open("http://localhost:" + this.port + "/phone?name=Ann",
				this.browsers.tone(BROWSER_TONE_HZ));
		await().atMost(UI).until(() -> text(ann, "own-number").startsWith("Your number: "));
		int established = count("CALL_ESTABLISHED");
		type(ann, "number", SIP_NUMBER);
		click(ann, By.id("call"));
		awaitText(ann, "call-status", "In call");
		lab.phone().awaitEvent("CALL_ESTABLISHED", established + 1, UI);
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		awaitThePhoneHears(BROWSER_TONE_HZ);
		return ann;
	}

	private static void awaitThePhoneHears(int frequencyHz) {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			Path latest = latestHeard();
			assertThat(WavTone.hasDominantTone(latest, frequencyHz)).as(WavTone.describe(latest, frequencyHz)).isTrue();
		});
	}

	/**
	 * The phone hears nothing of the browser: its recording of the call stops growing (no packets), or
	 * what it records lacks the browser's tone (silence).
	 */
	private static void awaitThePhoneHearsNoBrowser() {
		AtomicLong size = new AtomicLong(-1);
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			Path latest = latestHeard();
			long now = latest.toFile().length();
			boolean still = size.getAndSet(now) == now;
			return still || !WavTone.hasDominantTone(latest, BROWSER_TONE_HZ);
		});
	}

	private static Path latestHeard() {
		List<Path> heard = lab.phone().heard();
		assertThat(heard).isNotEmpty();
		return heard.get(heard.size() - 1);
	}

	/** How many times baresip logged {@code text}. */
	private static int occurrences(String text) {
		String log = lab.phone().log();
		int count = 0;
		for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

	private static int count(String type) {
		return (int) lab.phone().eventTypes().stream().filter(type::equals).count();
	}

}
