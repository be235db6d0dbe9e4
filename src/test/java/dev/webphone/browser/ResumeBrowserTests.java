package dev.webphone.browser;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.webphone.signaling.SignalingConnections;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static dev.webphone.browser.VoiceCallBrowserTests.CALL_SET_UP;
import static dev.webphone.browser.VoiceCallBrowserTests.REMOTE_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tutorial's call in two real Chromiums when a connection goes: the server cuts one side's
 * signalling (it reconnects and resumes, keeps its number, and both hear each other again), a tab is
 * killed without a word (the other side is freed within the dead-peer time), and a tab is reloaded
 * (it keeps its number). Same configuration as {@link VoiceCallBrowserTests}, so the same server.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ResumeBrowserTests {

	private static final Pattern NUMBER = Pattern.compile("ACCESS_GRANTED: on line \\\\\"(\\w+)\\\\\" as number (\\d+)");

	/** The default idle time-out, which is the dead-peer time. */
	private static final Duration DEAD_PEER_TIME = Duration.ofSeconds(12);

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	private Browser[] callBetweenTwoTabs() {
		String page = "http://localhost:" + this.port + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);
		return new Browser[] { low, high };
	}

	private static String number(Browser browser) {
		Matcher granted = NUMBER.matcher(browser.awaitConsole((line) -> NUMBER.matcher(line).find(), CALL_SET_UP));
		assertThat(granted.find()).isTrue();
		return granted.group(2);
	}

	@Test
	void aTabWhoseSignallingTheServerCutsResumesWithItsNumberAndBothHearEachOtherAgain() {
		Browser[] tabs = callBetweenTwoTabs();
		Browser low = tabs[0];
		Browser high = tabs[1];
		String number = number(low);

		SignalingConnections.cut(this.context, "Webphone1", number);
		low.awaitConsole((line) -> line.contains("resumed on line") && line.contains("as number " + number), CALL_SET_UP);
		// The offerer, whichever tab that is, restarts ICE; media finds its way again.
		Browser offerer = low.consoleLines().stream().anyMatch((line) -> line.contains("restarting ICE")) ? low : high;
		offerer.awaitConsole((line) -> line.contains("restarting ICE"), CALL_SET_UP);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);

		for (Browser tab : tabs) {
			assertThat(tab.consoleLines())
				.as("console of %s: the call never left IN_CALL, the page never heard of the lost connection", tab)
				.noneMatch((line) -> line.contains("IN_CALL -> ") || line.contains("CONNECTION_CLOSED"))
				.noneMatch((line) -> line.startsWith("SEVERE"));
		}
		assertThat(low.consoleLines().stream().filter((line) -> line.contains("ACCESS_GRANTED: on line")))
			.as("the page hears of access once: the resume is not its business").hasSize(1);
	}

	@Test
	void aTabKilledWithoutAWordFreesTheOtherSideWithinTheDeadPeerTime() {
		Browser[] tabs = callBetweenTwoTabs();
		long killed = System.nanoTime();
		this.browsers.kill(tabs[1]);
		String ended = tabs[0].awaitConsole((line) -> line.contains("COMPLETED"),
				DEAD_PEER_TIME.plus(Duration.ofSeconds(8)));
		Duration freedAfter = Duration.ofNanos(System.nanoTime() - killed);
		assertThat(freedAfter).as("freed after %s: %s", freedAfter, ended)
			.isLessThanOrEqualTo(DEAD_PEER_TIME.plus(Duration.ofSeconds(3)));
		// Chromium's network process may still close the socket (1001) as the browser dies, or the
		// kernel drops it (1006): either way the call ends well within the dead-peer time.
		assertThat(ended).as("console line of the other side").isNotNull();
	}

	@Test
	void aReloadedTabKeepsItsNumberAndItsCallEndsCleanly() {
		Browser[] tabs = callBetweenTwoTabs();
		Browser low = tabs[0];
		String number = number(low);

		low.driver().navigate().refresh();
		low.awaitConsole((line) -> line.contains("resumed on line") && line.contains("as number " + number), CALL_SET_UP);
		assertThat(low.consoleLines().stream().filter((line) -> line.contains("ACCESS_GRANTED: on line")
				&& line.contains("as number " + number))).as("the reloaded page is granted the same number").hasSize(2);
		tabs[1].awaitConsole((line) -> line.contains("COMPLETED"), CALL_SET_UP);
	}

}
