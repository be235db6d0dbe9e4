package dev.webphone.line;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.webphone.ice.IceServer;
import dev.webphone.ice.IceServerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The switchboard without a transport: what its clients are told, and what it keeps per call.
 */
class SwitchboardTests {

	private final Switchboard switchboard = switchboard();

	@AfterEach
	void stop() {
		this.switchboard.destroy();
	}

	@SuppressWarnings("unchecked")
	private static Switchboard switchboard() {
		IceServerProvider ice = mock(IceServerProvider.class);
		given(ice.iceServersFor(anyString())).willReturn(List.of());
		ObjectProvider<CallObserver> observers = mock(ObjectProvider.class);
		given(observers.orderedStream()).willAnswer((invocation) -> Stream.empty());
		LineProperties lines = new LineProperties(
				List.of(new LineProperties.Spec("Test", Duration.ofSeconds(60), "", false, 1001, 0)));
		return new Switchboard(lines, PresenceProperties.defaults(), ice, observers);
	}

	private Client join() {
		return this.switchboard.join("Test", Map.of(), new Recorder());
	}

	private static List<String> heard(Client client) {
		return ((Recorder) client.channel()).states;
	}

	@Test
	void aRequestedNumberInUseIsRefusedAndItsSeatGivenBack() {
		Client holder = this.switchboard.join("Test", "1001", Map.of(), new Recorder());
		assertThat(holder.number()).isEqualTo("1001");
		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> this.switchboard.join("Test", "1001", Map.of(), new Recorder()))
			.withMessageContaining("already in use");
		assertThat(this.switchboard.clientCount("Test")).isOne();
		assertThat(join().number()).as("a new number skips the one held").isEqualTo("1002");
	}

	@Test
	void noCallStaysOnTheRingTimersOnceItStopsRinging() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "answered", b.number(), CallType.AUDIO);
		assertThat(this.switchboard.ringingCount()).isOne();
		this.switchboard.accept(b, "answered");
		this.switchboard.hangUp(a, "answered", null);
		this.switchboard.dial(a, "declined", b.number(), CallType.AUDIO);
		this.switchboard.reject(b, "declined");
		this.switchboard.dial(a, "abandoned", b.number(), CallType.AUDIO);
		this.switchboard.hangUp(a, "abandoned", null);
		this.switchboard.dial(a, "merged", b.number(), CallType.AUDIO);
		this.switchboard.dial(b, "merged-back", a.number(), CallType.AUDIO);
		this.switchboard.hangUp(b, "merged-back", null);
		this.switchboard.dial(a, "left", b.number(), CallType.AUDIO);
		this.switchboard.leave(b);
		assertThat(this.switchboard.ringingCount()).isZero();
		assertThat(heard(a)).containsExactly("answered RINGING", "answered IN_CALL", "answered COMPLETED",
				"declined RINGING", "declined REJECTED", "abandoned RINGING", "abandoned COMPLETED", "merged RINGING",
				"merged IN_CALL", "merged COMPLETED", "left RINGING", "left COMPLETED");
	}

	@Test
	void endingTheCallOfAClientThatMayComeBackKeepsItsNumber() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "dropped", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "dropped");
		this.switchboard.endCall(a, "gone for now");
		assertThat(heard(b)).containsExactly("dropped IN_CALL", "dropped COMPLETED");
		this.switchboard.dial(b, "again", a.number(), CallType.AUDIO);
		assertThat(heard(b)).endsWith("again RINGING");
	}

	@Test
	void aResumedCalleeHasTheCallerRestartIceAndAResumedCallerIsToldToItself() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "resumed", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "resumed");

		Resumed callee = resumed(b);
		assertThat(callee.call()).isEqualTo(new Resumed.CallView("resumed", CallState.IN_CALL, a.number(), false));
		assertThat(heard(a)).endsWith("resumed restart-ice");

		Resumed caller = resumed(a);
		assertThat(caller.call()).isEqualTo(new Resumed.CallView("resumed", CallState.IN_CALL, b.number(), true));
		assertThat(heard(b)).doesNotContain("resumed restart-ice");

		this.switchboard.hangUp(a, "resumed", null);
		assertThat(resumed(a).call()).isNull();
	}

	/** Detaches the client, as a lost connection does, and resumes it; what it was told. */
	private Resumed resumed(Client client) {
		this.switchboard.detached(client);
		assertThat(this.switchboard.resumed(client)).isTrue();
		return ((Recorder) client.channel()).resumed;
	}

	/** Records the call states a client is told, as "callId STATE". */
	private static final class Recorder implements ClientChannel {

		final List<String> states = new CopyOnWriteArrayList<>();

		volatile Resumed resumed;

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		}

		@Override
		public void presence(PresenceFrame frame) {
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			this.states.add(callId + " " + state);
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
		}

		@Override
		public void refused(Refusal refusal) {
			this.states.add(refusal.callId() + " refused " + refusal.reason());
		}

		@Override
		public void restartIce(String callId) {
			this.states.add(callId + " restart-ice");
		}

		@Override
		public void resumed(Resumed resumed) {
			this.resumed = resumed;
		}

	}

}
