package dev.webphone.browser;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.webphone.cluster.Cluster;
import dev.webphone.cluster.Haproxy;
import dev.webphone.cluster.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.webphone.browser.VoiceCallBrowserTests.CALL_SET_UP;
import static dev.webphone.browser.VoiceCallBrowserTests.REMOTE_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tutorial's call between two real Chromiums through HAProxy in front of two instances that share
 * the line over a real Redis, each tab on a different instance. The instance of one tab is killed
 * mid-call (SIGKILL): that tab reconnects through HAProxy to the other instance, keeps its number,
 * and both sides still hear the other's tone. When the instance killed is the leader, both tabs
 * resume at the other, which takes the line over from Redis.
 */
@Tag("browser")
class ClusterBrowserTests {

	private static final Pattern NUMBER = Pattern.compile("ACCESS_GRANTED: on line \\\\\"(\\w+)\\\\\" as number (\\d+)");

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	private RedisServer redis;

	private Cluster cluster;

	private Haproxy proxy;

	@BeforeEach
	void startCluster() {
		RedisServer.requireInstalled();
		Haproxy.requireInstalled();
		this.redis = RedisServer.start();
		this.cluster = new Cluster(this.redis, Map.of());
	}

	@AfterEach
	void stopCluster() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.cluster.close();
		this.redis.close();
	}

	@Test
	void aTabWhoseInstanceIsKilledMidCallResumesOnTheOtherAndBothStillHearEachOther() throws Exception {
		int survivor = this.cluster.start("survivor");
		this.cluster.awaitLeader();
		int doomedPort = Cluster.freePort();
		Process doomed = this.cluster.startProcess("doomed", doomedPort);
		this.proxy = Haproxy.start(List.of(this.cluster.port(survivor), doomedPort));

		String page = this.proxy.url().replace("localhost", "127.0.0.1") + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);
		assertThat(this.cluster.browsersAt(survivor)).as("one tab on each instance").isEqualTo(1);
		String lowNumber = number(low);
		String highNumber = number(high);

		Cluster.kill(doomed);
		Browser moved = await().atMost(CALL_SET_UP)
			.until(() -> resumed(low) ? low : resumed(high) ? high : null, (tab) -> tab != null);
		String number = (moved == low) ? lowNumber : highNumber;
		assertThat(moved.consoleLines()).anyMatch((line) -> line.contains("resumed on line") && line.contains("as number " + number));
		assertThat(this.cluster.browsersAt(survivor)).as("both tabs on the instance left").isEqualTo(2);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);
		for (Browser tab : List.of(low, high)) {
			assertThat(tab.consoleLines()).as("console of %s: the call never left IN_CALL", tab)
				.noneMatch((line) -> line.contains("IN_CALL -> ") || line.contains("CONNECTION_CLOSED"));
		}
	}

	/**
	 * The instance killed is the leader, which held the line: the other instance takes the line over
	 * from Redis, and both tabs (one closed by its edge, one whose instance died) resume there with
	 * their numbers and their call.
	 */
	@Test
	void whenTheLeadersInstanceIsKilledMidCallBothTabsKeepTheirNumbersAndStillHearEachOther() throws Exception {
		int leaderPort = Cluster.freePort();
		Process leader = this.cluster.startProcess("leader", leaderPort);
		int survivor = this.cluster.start("survivor");
		this.cluster.awaitLeader(survivor, "leader");
		this.proxy = Haproxy.start(List.of(this.cluster.port(survivor), leaderPort));

		String page = this.proxy.url().replace("localhost", "127.0.0.1") + "/voicecall";
		Browser low = this.browsers.open(page, this.browsers.tone(440));
		Browser high = this.browsers.open(page, this.browsers.tone(1000));
		low.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		high.awaitConsole((line) -> line.contains("IN_CALL"), CALL_SET_UP);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);
		assertThat(this.cluster.browsersAt(survivor)).as("one tab on each instance").isEqualTo(1);
		String lowNumber = number(low);
		String highNumber = number(high);

		Cluster.kill(leader);
		await().atMost(CALL_SET_UP.multipliedBy(2)).until(() -> resumed(low) && resumed(high));
		assertThat(low.consoleLines()).anyMatch((line) -> line.contains("resumed on line") && line.contains("as number " + lowNumber));
		assertThat(high.consoleLines()).anyMatch((line) -> line.contains("resumed on line") && line.contains("as number " + highNumber));
		assertThat(this.cluster.browsersAt(survivor)).as("both tabs on the instance left").isEqualTo(2);
		low.assertHearsTone(REMOTE_AUDIO, 1000);
		high.assertHearsTone(REMOTE_AUDIO, 440);
		for (Browser tab : List.of(low, high)) {
			assertThat(tab.consoleLines()).as("console of %s: the call never left IN_CALL", tab)
				.noneMatch((line) -> line.contains("IN_CALL -> "));
		}
	}

	private static boolean resumed(Browser tab) {
		return tab.consoleLines().stream().anyMatch((line) -> line.contains("resumed on line"));
	}

	private static String number(Browser browser) {
		Matcher granted = NUMBER.matcher(browser.awaitConsole((line) -> NUMBER.matcher(line).find(), CALL_SET_UP));
		assertThat(granted.find()).isTrue();
		return granted.group(2);
	}

}
