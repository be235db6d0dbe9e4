package dev.webphone.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import dev.webphone.sip.JanusClient;
import dev.webphone.sip.SipLab;
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
import static dev.webphone.browser.PhonePages.awaitHidden;
import static dev.webphone.browser.PhonePages.awaitText;
import static dev.webphone.browser.PhonePages.click;
import static dev.webphone.browser.PhonePages.text;
import static dev.webphone.browser.PhonePages.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Janus killed mid-call, down, and back: the page's SIP call ends with a reason when Janus dies under
 * it; while Janus is down a SIP call fails at once with a reason and health shows {@code sip} down; once
 * Janus is back, SIP calls connect again without restarting this server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@DirtiesContext
class SipGatewayDownBrowserTests {

	private static final String SIP_NUMBER = "9100";

	private static SipLab lab;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

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

	@Test
	void aSipCallEndsWithAReasonWhenJanusDiesFailsAtOnceWhileItIsDownAndConnectsOnceItIsBack() throws Exception {
		Browser ann = this.browsers.open("http://localhost:" + this.port + "/phone?name=Ann", this.browsers.tone(440));
		await().atMost(UI).until(() -> text(ann, "own-number").startsWith("Your number: "));
		assertThat(sipHealth()).isEqualTo(200);
		assertThat(get("/actuator/health/sip").body()).contains(lab.janus().url());

		// Killed mid-call: the page's call ends, saying why.
		dial(ann);
		awaitText(ann, "call-status", "In call");
		lab.killJanus();
		awaitHidden(ann, "in-call");
		ann.awaitConsole((line) -> line.contains("IN_CALL -> COMPLETED") && line.contains("the SIP gateway was lost"), UI);
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);

		// Down: health says so, and a call fails at once, saying why.
		await().atMost(UI).until(() -> sipHealth() == 503);
		assertThat(get("/actuator/health/sip").body()).contains("did not answer");
		// Browser-to-browser calls need no Janus: this server stays live and ready.
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		Instant dialled = Instant.now();
		dial(ann);
		ann.awaitConsole((line) -> line.contains("RINGING -> COMPLETED") && line.contains("the SIP gateway is unreachable"),
				UI);
		// The user is told too, not just the console: the call never connected, and the reason says why.
		await().atMost(UI).untilAsserted(() -> assertThat(text(ann, "notice"))
			.startsWith("The call ended: the SIP gateway is unreachable ("));
		assertThat(Duration.between(dialled, Instant.now())).isLessThan(Duration.ofSeconds(5));
		assertThat(this.janus.sessionCount()).isZero();

		// Back: no restart of this server needed.
		lab.startJanus();
		await().atMost(UI).until(() -> sipHealth() == 200);
		dial(ann);
		awaitText(ann, "call-status", "In call");
		ann.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, SipLab.PHONE_TONE_HZ);
		click(ann, By.id("hang-up"));
		awaitHidden(ann, "in-call");
		await().atMost(UI).until(() -> this.janus.sessionCount() == 0);
	}

	private static void dial(Browser browser) {
		type(browser, "number", SIP_NUMBER);
		click(browser, By.id("call"));
	}

	private int sipHealth() throws IOException, InterruptedException {
		return get("/actuator/health/sip").statusCode();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
