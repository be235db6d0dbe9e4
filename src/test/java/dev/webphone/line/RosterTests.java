package dev.webphone.line;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.webphone.ice.IceServer;
import dev.webphone.line.PresenceFrame.Announcement;
import dev.webphone.line.PresenceFrame.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who is told about whom on a line with presence, one task at a time as the line's executor runs them.
 */
class RosterTests {

	private final Queue<Runnable> tasks = new ArrayDeque<>();

	private final Line line = new Line(new LineProperties(null).lines().get(0), Runnable::run);

	private Roster roster(int fullLimit) {
		return new Roster(this.tasks::add, null, new PresenceProperties(Duration.ZERO, fullLimit, 0, 0));
	}

	private void runAll() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

	private Member member(String number) {
		Member channel = new Member();
		channel.client = new Client(this.line, number, Map.of("nickname", "n" + number), channel);
		return channel;
	}

	@Test
	void aJoinerGetsEveryoneOnlineInOneFrameAndTheOthersGetOneFrameOfChanges() {
		Roster roster = roster(100);
		List<Member> early = List.of(member("1"), member("2"), member("3"));
		early.forEach((m) -> roster.join(m.client));
		runAll();
		Member late = member("4");
		roster.join(late.client);
		runAll();
		assertThat(late.frames).singleElement().satisfies((frame) -> {
			assertThat(frame.mode()).isEqualTo(Mode.FULL);
			assertThat(numbers(frame)).containsExactly("1", "2", "3", "4");
		});
		for (Member m : early) {
			assertThat(m.frames).last().satisfies((frame) -> {
				assertThat(frame.mode()).isNull();
				assertThat(numbers(frame)).containsExactly("4");
			});
		}
		// One frame object for all the receivers: encoded once.
		assertThat(early.stream().map((m) -> m.frames.get(m.frames.size() - 1)).distinct()).hasSize(1);
	}

	@Test
	void aClientThatComesAndGoesWithinOneWindowIsNotAnnounced() {
		Roster roster = roster(100);
		Member ann = member("1");
		roster.join(ann.client);
		runAll();
		int before = ann.frames.size();
		Member flicker = member("2");
		roster.join(flicker.client);
		roster.leave(flicker.client);
		runAll();
		assertThat(ann.frames).hasSize(before);
	}

	@Test
	void aLeaverIsAnnouncedOfflineToTheOthers() {
		Roster roster = roster(100);
		Member ann = member("1");
		Member bob = member("2");
		roster.join(ann.client);
		roster.join(bob.client);
		runAll();
		roster.leave(bob.client);
		runAll();
		assertThat(ann.frames).last().satisfies((frame) -> {
			assertThat(frame.announcements()).singleElement().satisfies((a) -> {
				assertThat(a.phoneNumber()).isEqualTo("2");
				assertThat(a.status()).isEqualTo(ClientChannel.Presence.OFFLINE);
			});
		});
	}

	@Test
	void aLineAboveTheLimitTellsEachClientOnlyOfTheNumbersItWatchesAndTellsEveryoneAgainBelowIt() {
		Roster roster = roster(2);
		Member ann = member("1");
		Member bob = member("2");
		roster.join(ann.client);
		roster.join(bob.client);
		runAll();
		roster.watch(ann.client, List.of("4"));
		runAll();
		assertThat(ann.frames).last().satisfies((frame) -> assertThat(frame.announcements()).singleElement()
			.satisfies((a) -> assertThat(a.status()).isEqualTo(ClientChannel.Presence.OFFLINE)));

		Member cid = member("3");
		roster.join(cid.client);
		runAll();
		assertThat(bob.frames).last().satisfies((frame) -> {
			assertThat(frame.mode()).isEqualTo(Mode.WATCHED);
			assertThat(frame.announcements()).isEmpty();
		});
		assertThat(cid.frames).singleElement().satisfies((frame) -> assertThat(frame.mode()).isEqualTo(Mode.WATCHED));

		int bobHeard = bob.frames.size();
		Member dan = member("4");
		roster.join(dan.client);
		runAll();
		assertThat(ann.frames).last().satisfies((frame) -> assertThat(numbers(frame)).containsExactly("4"));
		assertThat(bob.frames).as("bob watches nobody").hasSize(bobHeard);

		// Back to 90% of the limit (one client) or fewer: everyone gets the full list again.
		roster.leave(dan.client);
		roster.leave(cid.client);
		runAll();
		assertThat(bob.frames).last().satisfies((frame) -> assertThat(frame.mode()).isEqualTo(Mode.WATCHED));
		roster.leave(bob.client);
		runAll();
		assertThat(ann.frames).last().satisfies((frame) -> {
			assertThat(frame.mode()).isEqualTo(Mode.FULL);
			assertThat(numbers(frame)).containsExactly("1");
		});
	}

	private static List<String> numbers(PresenceFrame frame) {
		return frame.announcements().stream().map(Announcement::phoneNumber).toList();
	}

	private static final class Member implements ClientChannel {

		final List<PresenceFrame> frames = new CopyOnWriteArrayList<>();

		Client client;

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		}

		@Override
		public void presence(PresenceFrame frame) {
			this.frames.add(frame);
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
		}

		@Override
		public void fromParty(String callId, PartyMessage message) {
		}

		@Override
		public void restartIce(String callId) {
		}

		@Override
		public void resumed(Resumed resumed) {
		}

		@Override
		public void refused(Refusal refusal) {
		}

	}

}
