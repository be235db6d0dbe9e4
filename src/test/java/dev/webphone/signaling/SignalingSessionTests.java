package dev.webphone.signaling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.webphone.access.CallAttemptLimit;
import dev.webphone.access.LineAdmission;
import dev.webphone.access.TestAdmissions;
import dev.webphone.edge.EdgeSettings;
import dev.webphone.edge.EdgeSocket;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.ice.IceServer;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.Client;
import dev.webphone.line.ClientChannel;
import dev.webphone.line.LineJournal;
import dev.webphone.line.LineProperties;
import dev.webphone.line.MediaSignal;
import dev.webphone.line.PartyMessage;
import dev.webphone.line.PresenceFrame;
import dev.webphone.line.Redirect;
import dev.webphone.line.Refusal;
import dev.webphone.line.Resumed;
import dev.webphone.line.Switchboard;
import dev.webphone.line.TestSwitchboards;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.CloseStatus;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * One browser's session against a real switchboard, with only the Jetty socket under it stubbed: a
 * connection that closes while its {@code connect} is being handled leaves nothing behind.
 */
class SignalingSessionTests {

	private static final int JOINS = 2_000;

	private static final long FIRST_NUMBER = 5001;

	private final Switchboard switchboard = switchboard();

	private final SignalingCodec codec = new SignalingCodec(JsonMapper.builder().build());

	private final SignalingMetrics metrics = mock(SignalingMetrics.class);

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	private final WebSocketEdge edge = new WebSocketEdge(new EdgeSettings(List.of(), 64 * 1024,
			Duration.ofSeconds(5), Duration.ofSeconds(12), 512 * 1024, 64 * 1024 * 1024));

	@AfterEach
	void stop() {
		this.threads.shutdownNow();
		this.resumption.destroy();
		this.switchboard.destroy();
	}

	private static final LineProperties.Spec LINE = new LineProperties.Spec("Test", Duration.ofSeconds(60), "", true,
			FIRST_NUMBER, 0);

	private final LineAdmission admission = TestAdmissions.open(LINE);

	private final SessionResumption resumption = new SessionResumption(this.switchboard,
			new SignalingProperties(List.of(), DataSize.ofKilobytes(64), Duration.ofSeconds(5), Duration.ofSeconds(12),
					DataSize.ofKilobytes(512), 200, 50, null, Duration.ofSeconds(30)),
			new StaticListableBeanFactory().getBeanProvider(LineJournal.class));

	private static Switchboard switchboard() {
		return TestSwitchboards.of(LINE);
	}

	private SignalingSession session() {
		EdgeSocket socket = this.edge.outbound(mock(Session.class));
		return new SignalingSession(socket, this.codec, this.switchboard, new RateLimit(200, 50), this.metrics, "all",
				this.admission, new CallAttemptLimit(0), this.resumption);
	}

	@Test
	void aConnectionClosedWhileItJoinsLeavesNoClientBehind() throws Exception {
		Watcher watcher = new Watcher();
		Client watching = this.switchboard.join("Test", Map.of(), watcher);
		CyclicBarrier start = new CyclicBarrier(2);
		for (int i = 0; i < JOINS; i++) {
			SignalingSession session = session();
			Future<?> joining = this.threads.submit(() -> {
				start.await();
				session.receive("{\"type\":\"connect\",\"line\":\"Test\"}");
				return null;
			});
			Future<?> closing = this.threads.submit(() -> {
				start.await();
				session.closed(CloseStatus.NORMAL);
				return null;
			});
			joining.get(10, TimeUnit.SECONDS);
			closing.get(10, TimeUnit.SECONDS);
		}
		assertThat(this.switchboard.clientCount("Test")).as("clients left on the line").isOne();
		// Presence is told in order: once the watcher hears of a client that joins after the race, it has
		// heard all the race left behind, and every number it was told came online went offline again.
		Watcher caller = new Watcher();
		Client callerClient = this.switchboard.join("Test", Map.of(), caller);
		await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online.contains(callerClient.number()));
		assertThat(watcher.online).containsExactly(callerClient.number());
		// No number handed out in the race rings; none of them is even on the line any more.
		for (long number = FIRST_NUMBER + 1; number < FIRST_NUMBER + 1 + JOINS; number++) {
			this.switchboard.dial(callerClient, "c" + number, Long.toString(number), CallType.AUDIO);
		}
		assertThat(caller.states).hasSize(JOINS).allMatch((state) -> state.endsWith(" NOT_FOUND"));
		assertThat(watching.number()).isEqualTo(Long.toString(FIRST_NUMBER));
	}

	/** Records who it is told is online, and the outcome of its dials. */
	private static final class Watcher implements ClientChannel {

		final Set<String> online = ConcurrentHashMap.newKeySet();

		final List<String> states = new CopyOnWriteArrayList<>();

		volatile String number;

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
			this.number = phoneNumber;
		}

		@Override
		public void presence(PresenceFrame frame) {
			if (frame.mode() == PresenceFrame.Mode.FULL) {
				this.online.clear();
			}
			for (PresenceFrame.Announcement change : frame.announcements()) {
				if (change.phoneNumber().equals(this.number)) {
					// The list of everyone online may name the client itself.
					continue;
				}
				if (change.status() == Presence.ONLINE) {
					this.online.add(change.phoneNumber());
				}
				else {
					this.online.remove(change.phoneNumber());
				}
			}
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			this.states.add(callId + " " + state);
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
			this.states.add(callId + " " + state + " " + how);
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
			this.states.add(refusal.callId() + " refused " + refusal.reason());
		}

	}

}
