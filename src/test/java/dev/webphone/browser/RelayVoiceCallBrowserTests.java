package dev.webphone.browser;

import dev.webphone.relay.UpstreamPhoneSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tutorial's two-tab call on a relaying server: both Chromiums load the page and the script from
 * the relay, their signalling goes through it to the phone system (a second instance of this server),
 * and each hears the other's tone.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RelayVoiceCallBrowserTests {

	@RegisterExtension
	static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
	}

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Test
	void twoTabsOnTheRelayCallThroughThePhoneSystemAndHearEachOther() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), VoiceCallBrowserTests.CALL_SET_UP);
		assertThat(upstream.connectionCount()).as("connections the phone system holds").isEqualTo(2);

		low.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 1000);
		high.assertHearsTone(VoiceCallBrowserTests.REMOTE_AUDIO, 440);
	}

}
