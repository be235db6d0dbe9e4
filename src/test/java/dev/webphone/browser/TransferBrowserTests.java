package dev.webphone.browser;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
import static dev.webphone.browser.PhonePages.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blind transfer and forward in three real browsers, each sending its own tone, driven by clicks on
 * the softphone at {@code /phone}: Ann calls Bob, and Bob sends her on to Cid, by transferring the
 * connected call (held or not) or by forwarding it while it rings. Ann and Cid end up hearing each other (Ann on a
 * fresh peer connection, no longer Bob), and Bob is free, his microphone released. Screenshots of
 * each step go to {@code target/screenshots}. Same server configuration as {@link PhoneBrowserTests},
 * so the two share one server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TransferBrowserTests {

	private static final int ANN_HZ = 440;

	private static final int BOB_HZ = 1000;

	private static final int CID_HZ = 1700;

	@RegisterExtension
	final Browsers browsers = Browsers.chromium()
		.withScriptOnEveryPage(VoiceCallBrowserTests.MICROPHONE_WATCH)
		.withScriptOnEveryPage(PeerConnections.WATCH);

	@LocalServerPort
	int port;

	@Test
	void bobTransfersAnnToCidAndAnnAndCidHearEachOther() throws IOException {
		Browser ann = open("Ann", ANN_HZ);
		Browser bob = open("Bob", BOB_HZ);
		Browser cid = open("Cid", CID_HZ);
		String annNumber = ownNumber(ann);
		String bobNumber = ownNumber(bob);
		String cidNumber = ownNumber(cid);

		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		awaitVisible(bob, "incoming");
		click(bob, By.id("accept"));
		awaitText(ann, "call-status", "In call");
		awaitText(bob, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, BOB_HZ);

		type(bob, "transfer-to", cidNumber);
		click(bob, By.id("transfer"));
		awaitText(bob, "notice", "Transferred Ann (" + annNumber + ") to Cid (" + cidNumber + ").");
		awaitHidden(bob, "in-call");
		awaitText(ann, "call-status", "Ringing...");
		assertThat(text(ann, "call-with")).isEqualTo("Cid (" + cidNumber + ")");
		assertThat(text(ann, "notice")).isEqualTo("Bob (" + bobNumber + ") passed the call on to Cid (" + cidNumber + ").");
		assertThat(ann.driver().findElements(By.cssSelector(VoiceCallBrowserTests.REMOTE_AUDIO)))
			.as("Ann no longer plays Bob")
			.isEmpty();
		awaitVisible(cid, "incoming");
		assertThat(text(cid, "incoming-text")).isEqualTo("Incoming call from Ann (" + annNumber + ")");
		screenshot(ann, "transfer-ringing-at-cid");
		click(cid, By.id("accept"));

		awaitText(ann, "call-status", "In call");
		awaitText(cid, "call-status", "In call");
		ToneSpectrum heardByAnn = ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, CID_HZ);
		cid.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, ANN_HZ);
		assertThat(heardByAnn.isAudible(BOB_HZ)).as("Ann hears Bob no more").isFalse();
		await().atMost(UI).untilAsserted(() -> assertThat(peerConnections(ann)).as("Ann's peer connections")
			.containsExactly("closed", "connected"));
		assertFree(bob);
		screenshot(cid, "transfer-connected");

		click(cid, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		assertNoErrors(ann, bob, cid);
	}

	@Test
	void bobTransfersAnnWhileHoldingHerAndAnnIsNotHeldWithCid() throws IOException {
		Browser ann = open("Ann", ANN_HZ);
		Browser bob = open("Bob", BOB_HZ);
		Browser cid = open("Cid", CID_HZ);
		String annNumber = ownNumber(ann);
		String bobNumber = ownNumber(bob);
		String cidNumber = ownNumber(cid);

		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		awaitVisible(bob, "incoming");
		click(bob, By.id("accept"));
		awaitText(ann, "call-status", "In call");
		click(bob, By.id("hold"));
		awaitText(ann, "call-status", "On hold");
		awaitText(bob, "call-status", "On hold");
		type(bob, "transfer-to", cidNumber);
		click(bob, By.id("transfer"));
		awaitText(bob, "notice", "Transferred Ann (" + annNumber + ") to Cid (" + cidNumber + ").");
		awaitText(ann, "call-status", "Ringing...");
		awaitVisible(cid, "incoming");
		click(cid, By.id("accept"));

		awaitText(ann, "call-status", "In call");
		awaitText(cid, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, CID_HZ);
		cid.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, ANN_HZ);
		assertFree(bob);
		screenshot(ann, "transfer-held-connected");
		assertNoErrors(ann, bob, cid);
	}

	@Test
	void bobForwardsAnnsRingingCallToCidWhoAnswers() throws IOException {
		Browser ann = open("Ann", ANN_HZ);
		Browser bob = open("Bob", BOB_HZ);
		Browser cid = open("Cid", CID_HZ);
		String annNumber = ownNumber(ann);
		String bobNumber = ownNumber(bob);
		String cidNumber = ownNumber(cid);

		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		awaitVisible(bob, "incoming");
		type(bob, "forward-to", cidNumber);
		screenshot(bob, "forward-banner");
		click(bob, By.id("forward"));
		awaitText(bob, "notice", "Forwarded the call to Cid (" + cidNumber + ").");
		awaitHidden(bob, "incoming");
		awaitVisible(cid, "incoming");
		assertThat(text(cid, "incoming-text")).isEqualTo("Incoming call from Ann (" + annNumber + ")");
		assertThat(text(ann, "call-status")).isEqualTo("Ringing...");
		assertThat(text(ann, "call-with")).isEqualTo("Cid (" + cidNumber + ")");
		click(cid, By.id("accept"));

		awaitText(ann, "call-status", "In call");
		awaitText(cid, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, CID_HZ);
		cid.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, ANN_HZ);
		assertFree(bob);
		screenshot(ann, "forward-connected");
		assertNoErrors(ann, bob, cid);
	}

	@Test
	void aTransferTheLineRefusesIsExplainedAndTheCallGoesOn() throws IOException {
		Browser ann = open("Ann", ANN_HZ);
		Browser bob = open("Bob", BOB_HZ);
		String bobNumber = ownNumber(bob);

		click(ann, By.cssSelector("#online button[data-number='" + bobNumber + "']"));
		awaitVisible(bob, "incoming");
		click(bob, By.id("accept"));
		awaitText(bob, "call-status", "In call");
		type(bob, "transfer-to", "99999");
		click(bob, By.id("transfer"));
		awaitText(bob, "notice", "99999 is not online; the call stays with you.");
		type(bob, "transfer-to", ownNumber(ann));
		click(bob, By.id("transfer"));
		awaitText(bob, "notice", "A call cannot be transferred to you or to the person you are talking to.");
		assertThat(text(bob, "call-status")).isEqualTo("In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, BOB_HZ);
		bob.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, ANN_HZ);
		screenshot(bob, "transfer-refused");
		assertNoErrors(ann, bob);
	}

	private Browser open(String name, int toneHz) {
		Browser browser = this.browsers.open("http://localhost:" + this.port + "/phone?name=" + name,
				this.browsers.tone(toneHz));
		await().atMost(UI).until(() -> text(browser, "own-number").startsWith("Your number: "));
		return browser;
	}

	/** Bob is in no call: ready to dial, playing nobody, his microphone released. */
	private static void assertFree(Browser browser) {
		await().atMost(UI).untilAsserted(() -> {
			assertThat(element(browser, "call").isEnabled()).as("%s can call again", browser).isTrue();
			assertThat(element(browser, "in-call").isDisplayed()).isFalse();
			assertThat(browser.driver().findElements(By.cssSelector(VoiceCallBrowserTests.REMOTE_AUDIO))).isEmpty();
			Object released = ((JavascriptExecutor) browser.driver())
				.executeScript("const streams = window.webphoneTestStreams || [];"
						+ " return streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended'));");
			assertThat(released).as("microphone released in %s", browser).isEqualTo(true);
		});
	}

	/** The connection states of every RTCPeerConnection the page made, oldest first. */
	@SuppressWarnings("unchecked")
	private static List<Object> peerConnections(Browser browser) {
		return (List<Object>) ((JavascriptExecutor) browser.driver()).executeScript("return (window.webphoneTestPeers || [])"
				+ ".map((peer) => peer.connectionState === 'closed' || peer.signalingState === 'closed'"
				+ " ? 'closed' : peer.connectionState);");
	}

}
