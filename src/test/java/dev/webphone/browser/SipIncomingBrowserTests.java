package dev.webphone.browser;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.webphone.sip.JanusClient;
import dev.webphone.sip.Kamailio;
import dev.webphone.sip.SipLab;
import dev.webphone.sip.SipRegistrations;
import dev.webphone.sip.WavTone;
import dev.webphone.support.LocalServers;
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
import static dev.webphone.browser.PhonePages.awaitVisible;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.element;
import static dev.webphone.browser.PhonePages.ownNumber;
import static dev.webphone.browser.PhonePages.screenshot;
import static dev.webphone.browser.PhonePages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIP phone calls a browser: the line registers the browser's number at a real registrar (Kamailio)
 * through Janus, baresip calls that number, the page at {@code /phone} rings and accepts, each side
 * hears the other's tone, and the phone hangs up; a second call is rejected from the page.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SipIncomingBrowserTests {

	private static final String BROWSER_NUMBER = "1001";

	private static final int BROWSER_TONE_HZ = 440;

	private static SipLab lab;

	private static Kamailio kamailio;

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Autowired
	JanusClient janus;

	@Autowired
	SipRegistrations registrations;

	@BeforeAll
	static void startLab() {
		SipLab.requireInstalled();
		LocalServers.require(Kamailio.isInstalled(), "kamailio - apt-get install -y kamailio");
		lab = SipLab.start();
		try {
			kamailio = Kamailio.start(lab.namespace());
		}
		catch (RuntimeException ex) {
			lab.close();
			throw ex;
		}
	}

	@AfterAll
	static void stopLab() {
		if (kamailio != null) {
			kamailio.close();
		}
		if (lab != null) {
			lab.close();
		}
	}

	@DynamicPropertySource
	static void sip(DynamicPropertyRegistry registry) {
		registry.add("webphone.sip.janus-url", () -> lab.janus().url());
		registry.add("webphone.sip.registrations[0].line", () -> "Webphone1");
		registry.add("webphone.sip.registrations[0].number", () -> BROWSER_NUMBER);
		registry.add("webphone.sip.registrations[0].uri", () -> "sip:" + BROWSER_NUMBER + "@" + lab.namespace().address());
		registry.add("webphone.sip.registrations[0].registrar", () -> kamailio.uri());
		registry.add("webphone.sip.registrations[0].secret", () -> "unused");
	}

	@Test
	void aSipPhoneCallsTheBrowserWhichAcceptsHearsItAndThenRejectsASecondCall() throws IOException {
		Browser bob = this.browsers.open("http://localhost:" + this.port + "/phone?name=Bob",
				this.browsers.tone(BROWSER_TONE_HZ));
		await().atMost(UI).until(() -> text(bob, "own-number").startsWith("Your number: "));
		assertThat(ownNumber(bob)).isEqualTo(BROWSER_NUMBER);
		await().atMost(UI).until(() -> this.registrations.registeredCount() == 1);

		lab.phone().dial(kamailio.uri(BROWSER_NUMBER));
		awaitVisible(bob, "incoming");
		assertThat(text(bob, "incoming-text")).contains("phone");
		screenshot(bob, "sip-incoming");
		click(bob, By.id("accept"));
		awaitText(bob, "call-status", "In call");
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Path> heard = lab.phone().heard();
			assertThat(heard).isNotEmpty();
			Path latest = heard.get(heard.size() - 1);
			assertThat(WavTone.hasDominantTone(latest, BROWSER_TONE_HZ)).as(WavTone.describe(latest, BROWSER_TONE_HZ))
				.isTrue();
		});
		int closed = closedCount();
		lab.phone().hangUp();
		awaitHidden(bob, "in-call");
		lab.phone().awaitEvent("CALL_CLOSED", closed + 1, UI);

		dialUntilItRings(bob);
		int closedBeforeReject = closedCount();
		click(bob, By.id("reject"));
		lab.phone().awaitEvent("CALL_CLOSED", closedBeforeReject + 1, UI);
		// The registration's session stays; the calls left none behind.
		await().atMost(UI).until(() -> this.janus.sessionCount() == 1);
		assertNoErrors(bob);
	}

	/**
	 * Calls the browser again right after a call, as a phone that calls back does. Janus's SIP plugin
	 * turns a call to the registered number away as busy (486, its {@code missed_call} event) until it
	 * has torn the last call's media down, a moment after the BYE (docs/sip.md, "Limits"); like such a
	 * phone, this one calls again when that is the answer, a few times at most. Any other end of a
	 * call that does not ring fails the test.
	 */
	private static void dialUntilItRings(Browser bob) {
		for (int attempt = 1;; attempt++) {
			int closed = closedCount();
			int busy = busyCount();
			lab.phone().dial(kamailio.uri(BROWSER_NUMBER));
			try {
				await().atMost(UI).until(() -> element(bob, "incoming").isDisplayed() || closedCount() > closed);
			}
			catch (RuntimeException ex) {
				throw notRinging(ex);
			}
			if (element(bob, "incoming").isDisplayed()) {
				return;
			}
			if (attempt == 5 || busyCount() == busy) {
				throw notRinging(null);
			}
		}
	}

	private static int closedCount() {
		return (int) lab.phone().eventTypes().stream().filter("CALL_CLOSED"::equals).count();
	}

	/** How many of the phone's calls so far were answered busy. */
	private static int busyCount() {
		return lab.phone().log().split("session closed: 486 Busy Here", -1).length - 1;
	}

	/** Why a call did not ring, should it not: what each of the three saw. */
	private static AssertionError notRinging(Throwable cause) {
		String janusLog = lab.janus().log();
		return new AssertionError("The call did not ring.\nJanus: " + janusLog.substring(Math.max(0, janusLog.length() - 4000))
				+ "\nPhone: " + lab.phone().log() + "\nKamailio: " + kamailio.log(), cause);
	}

}
