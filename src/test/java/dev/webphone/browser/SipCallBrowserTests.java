package dev.webphone.browser;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.webphone.sip.JanusClient;
import dev.webphone.sip.SipLab;
import dev.webphone.sip.SipResponder;
import dev.webphone.sip.WavTone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.webphone.browser.PhonePages.UI;
import static dev.webphone.browser.PhonePages.assertNoErrors;
import static dev.webphone.browser.PhonePages.awaitHidden;
import static dev.webphone.browser.PhonePages.awaitText;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.screenshot;
import static dev.webphone.browser.PhonePages.text;
import static dev.webphone.browser.PhonePages.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tutorial's Part 2 in a real browser: the softphone at {@code /phone} dials a number the SIP
 * routes send to a real SIP phone (baresip, answering at once) through a real Janus; each hears the
 * other's tone, and either hangs up. Janus and the phone run in a network namespace of their own
 * ({@link SipLab}): Janus gathers no ICE candidates on loopback.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// Fifty calls in a minute from one page: above the default limit per connection.
		properties = "webphone.limits.call-attempts-per-minute=200")
@DirtiesContext
class SipCallBrowserTests {

	private static final String SIP_NUMBER = "9100";

	private static final int BROWSER_TONE_HZ = 440;

	private static SipLab lab;

	private static SipResponder responder;

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Autowired
	JanusClient janus;

	@BeforeAll
	static void startLab() {
		SipLab.requireInstalled();
		lab = SipLab.start();
		responder = SipResponder.start(lab.namespace().hostAddress());
	}

	@AfterAll
	static void stopLab() {
		if (responder != null) {
			responder.close();
		}
		if (lab != null) {
			lab.close();
		}
	}

	@DynamicPropertySource
	static void sip(DynamicPropertyRegistry registry) {
		registry.add("webphone.sip.janus-url", () -> lab.janus().url());
		registry.add("webphone.sip.routes[0].match", () -> SIP_NUMBER);
		registry.add("webphone.sip.routes[0].uri", () -> lab.phone().uri());
		// 9486 is busy, 9404 does not exist, 9603 declines, 9180 rings until cancelled: $1 picks the answer.
		registry.add("webphone.sip.routes[1].match", () -> "9(486|404|603|180)");
		registry.add("webphone.sip.routes[1].uri", () -> responder.uri("code$1"));
	}

	@Test
	void aBrowserCallsASipPhoneBothHearEachOtherAndTheBrowserHangsUp() throws IOException {
		Browser ann = callThePhone();
		int closed = count("CALL_CLOSED");

		click(ann, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		lab.phone().awaitEvent("CALL_CLOSED", closed + 1, UI);
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
		assertNoErrors(ann);
	}

	@Test
	void theSipPhoneHangsUpAndTheBrowserSeesTheCallEnd() throws IOException {
		Browser ann = callThePhone();

		lab.phone().hangUp();
		awaitHidden(ann, "in-call");
		screenshot(ann, "sip-phone-hung-up");
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
		assertNoErrors(ann);
	}

	@Test
	void aBusyUnknownOrDecliningSipPhoneEndsTheCallAsABrowserWould() throws IOException {
		Browser ann = this.browsers.open("http://localhost:" + this.port + "/phone?name=Ann",
				this.browsers.tone(BROWSER_TONE_HZ));
		await().atMost(UI).until(() -> text(ann, "own-number").startsWith("Your number: "));
		for (String[] expected : new String[][] { { "9486", "9486 is in another call." },
				{ "9404", "9404 is not online." }, { "9603", "9603 declined the call." } }) {
			type(ann, "number", expected[0]);
			click(ann, By.id("call"));
			awaitText(ann, "notice", expected[1]);
		}
		assertThat(responder.invites()).hasSize(3);
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
		assertNoErrors(ann);
	}

	@Test
	void fiftyCallsTurnedDownOrCancelledLeaveNoJanusSessionBehind() {
		Browser ann = this.browsers.open("http://localhost:" + this.port + "/phone?name=Ann",
				this.browsers.tone(BROWSER_TONE_HZ));
		await().atMost(UI).until(() -> text(ann, "own-number").startsWith("Your number: "));
		int invites = responder.invites().size();
		for (int call = 0; call < 50; call++) {
			boolean busy = call % 2 == 0;
			type(ann, "number", busy ? "9486" : "9180");
			click(ann, By.id("call"));
			int sent = invites + call + 1;
			await().atMost(UI).until(() -> responder.invites().size() >= sent);
			if (busy) {
				awaitText(ann, "notice", "9486 is in another call.");
			}
			else {
				// Ringing at the far end: hanging up cancels the INVITE.
				click(ann, By.id("hang-up"));
				awaitHidden(ann, "in-call");
			}
		}
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
		// Janus agrees: it holds no session either.
		await().atMost(UI).until(() -> lab.janus().sessionCount() == 0);
		assertThat(responder.invites()).hasSize(invites + 50);
		assertNoErrors(ann);
	}

	/** Dials the phone from the pad, and waits until each side hears the other's tone. */
	private Browser callThePhone() throws IOException {
		Browser ann = this.browsers.open("http://localhost:" + this.port + "/phone?name=Ann",
				this.browsers.tone(BROWSER_TONE_HZ));
		await().atMost(UI).until(() -> text(ann, "own-number").startsWith("Your number: "));
		int established = count("CALL_ESTABLISHED");
		type(ann, "number", SIP_NUMBER);
		click(ann, By.id("call"));
		awaitText(ann, "call-status", "In call");
		lab.phone().awaitEvent("CALL_ESTABLISHED", established + 1, UI);
		screenshot(ann, "sip-in-call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Path> heard = lab.phone().heard();
			assertThat(heard).isNotEmpty();
			Path latest = heard.get(heard.size() - 1);
			assertThat(WavTone.hasDominantTone(latest, BROWSER_TONE_HZ)).as(WavTone.describe(latest, BROWSER_TONE_HZ))
				.isTrue();
		});
		return ann;
	}

	private static int count(String type) {
		return (int) lab.phone().eventTypes().stream().filter(type::equals).count();
	}

}
