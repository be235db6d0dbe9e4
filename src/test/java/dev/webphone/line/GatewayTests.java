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
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Calls to a phone behind a {@link Gateway}, without a gateway: the line rings a party that hears what
 * a browser callee would, the caller offers early, and the phone's refusals after ringing reach the
 * caller as the table's gateway rows say.
 */
class GatewayTests {

	private final FakeGateway gateway = new FakeGateway();

	private final Switchboard switchboard = switchboard(this.gateway);

	@AfterEach
	void stop() {
		this.switchboard.destroy();
	}

	@SuppressWarnings("unchecked")
	private static Switchboard switchboard(Gateway gateway) {
		IceServerProvider ice = mock(IceServerProvider.class);
		given(ice.iceServersFor(anyString())).willReturn(List.of());
		ObjectProvider<CallObserver> observers = mock(ObjectProvider.class);
		given(observers.orderedStream()).willAnswer((invocation) -> Stream.empty());
		LineProperties lines = new LineProperties(
				List.of(new LineProperties.Spec("Test", Duration.ofSeconds(60), "", false, 1001, 0)));
		return new Switchboard(lines, PresenceProperties.defaults(), ice, observers, gateway);
	}

	private Client join() {
		return this.switchboard.join("Test", Map.of(), new Recorder());
	}

	private static List<String> heard(Client client) {
		return ((Recorder) client.channel()).heard;
	}

	@Test
	void theCallerOffersWhileThePhoneRingsAndHearsItsAnswerAfterInCall() {
		Client ann = join();
		this.switchboard.dial(ann, "c1", "9100", CallType.AUDIO);
		assertThat(heard(ann)).containsExactly("c1 RINGING offerer=true");
		assertThat(this.gateway.phone.heard).containsExactly("incoming c1 from " + ann.number());

		// Early: the caller's offer and candidates reach the phone before any answer.
		this.switchboard.relay(ann, "c1", new Signal("offer"));
		this.switchboard.relay(ann, "c1", new Signal("candidate"));
		assertThat(this.gateway.phone.heard).endsWith("c1 signal offer", "c1 signal candidate");

		this.gateway.party.answer("c1");
		this.gateway.party.signal("c1", new Signal("answer"));
		assertThat(heard(ann)).containsExactly("c1 RINGING offerer=true", "c1 IN_CALL offerer=null", "c1 signal answer");

		this.gateway.party.hangUp("c1", "the SIP phone hung up");
		assertThat(heard(ann)).endsWith("c1 COMPLETED the SIP phone hung up");
		assertThat(this.gateway.phone.heard).endsWith("c1 COMPLETED the SIP phone hung up");
	}

	@Test
	void aBrowserCalleeGetsNoEarlyOfferAndRefusesOneBeforeTheAnswer() {
		Client ann = join();
		Client bob = join();
		this.switchboard.dial(ann, "c2", bob.number(), CallType.AUDIO);
		assertThat(heard(ann)).containsExactly("c2 RINGING offerer=null");
		this.switchboard.relay(ann, "c2", new Signal("offer"));
		assertThat(heard(ann)).endsWith("c2 refused NOT_NOW");
		assertThat(heard(bob)).containsExactly("incoming c2 from " + ann.number());
		assertThat(this.gateway.phone).isNull();
	}

	@Test
	void thePhonesRefusalsReachTheCallerAfterRinging() {
		for (CallState outcome : List.of(CallState.BUSY, CallState.NOT_FOUND, CallState.REJECTED,
				CallState.NOT_ANSWERED, CallState.COMPLETED)) {
			Client ann = join();
			this.switchboard.dial(ann, "r", "9100", CallType.AUDIO);
			this.gateway.party.refuse("r", outcome, "because");
			assertThat(heard(ann)).containsExactly("r RINGING offerer=true", "r " + outcome + " because");
			assertThat(this.gateway.phone.heard).endsWith("r COMPLETED because");
			// The caller is free again: its next call rings.
			this.switchboard.dial(ann, "r2", "9100", CallType.AUDIO);
			assertThat(heard(ann)).endsWith("r2 RINGING offerer=true");
			this.switchboard.hangUp(ann, "r2", null);
		}
	}

	@Test
	void aRefusalAfterTheCallEndedChangesNothing() {
		Client ann = join();
		this.switchboard.dial(ann, "late", "9100", CallType.AUDIO);
		this.switchboard.hangUp(ann, "late", null);
		this.gateway.party.refuse("late", CallState.BUSY, "too late");
		this.gateway.party.answer("late");
		assertThat(heard(ann)).containsExactly("late RINGING offerer=true", "late COMPLETED null");
	}

	@Test
	void aCallWithAPhoneIsNotTransferred() {
		Client ann = join();
		Client bob = join();
		this.switchboard.dial(ann, "t", "9100", CallType.AUDIO);
		this.gateway.party.answer("t");
		this.switchboard.transfer(ann, "t", bob.number());
		assertThat(heard(ann)).endsWith("t IN_CALL offerer=null", "t refused NOT_NOW");
		assertThat(heard(bob)).isEmpty();
	}

	@Test
	void aPhoneCallsABrowserAndMakesTheOfferOnceItIsAnswered() {
		Client bob = join();
		Recorder phone = new Recorder();
		GatewayParty[] party = new GatewayParty[1];
		this.switchboard.dialFromGateway("Test", "alice", bob.number(), "in1", (given) -> {
			party[0] = given;
			return phone;
		});
		assertThat(heard(bob)).containsExactly("incoming in1 from alice");
		assertThat(phone.heard).containsExactly("in1 RINGING offerer=null");

		this.switchboard.accept(bob, "in1");
		assertThat(phone.heard).endsWith("in1 IN_CALL offerer=true");
		assertThat(heard(bob)).endsWith("in1 IN_CALL offerer=false");
		party[0].signal("in1", new Signal("offer"));
		this.switchboard.relay(bob, "in1", new Signal("answer"));
		assertThat(heard(bob)).endsWith("in1 signal offer");
		assertThat(phone.heard).endsWith("in1 signal answer");

		party[0].hangUp("in1", "the SIP phone hung up");
		assertThat(heard(bob)).endsWith("in1 COMPLETED the SIP phone hung up");
	}

	@Test
	void aPhoneCallingANumberNobodyHasOrABusyOneHearsSo() {
		Client bob = join();
		Client carol = join();
		Recorder nobody = new Recorder();
		this.switchboard.dialFromGateway("Test", "alice", "1999", "in2", (given) -> nobody);
		assertThat(nobody.heard).containsExactly("in2 NOT_FOUND No client with number '1999' is online");

		this.switchboard.dial(bob, "busy", carol.number(), CallType.AUDIO);
		Recorder busy = new Recorder();
		this.switchboard.dialFromGateway("Test", "alice", carol.number(), "in3", (given) -> busy);
		assertThat(busy.heard).containsExactly("in3 BUSY The other party is in another call");
	}

	@Test
	void aPhonesCallNeverGoesBackOutThroughTheGateway() {
		Recorder phone = new Recorder();
		this.switchboard.dialFromGateway("Test", "alice", "9100", "in4", (given) -> phone);
		assertThat(phone.heard).containsExactly("in4 NOT_FOUND No client with number '9100' is online");
		assertThat(this.gateway.phone).as("the gateway was not asked").isNull();
	}

	/** Reaches every 9xxx number, with a recording channel for the phone. */
	private static final class FakeGateway implements Gateway {

		volatile Recorder phone;

		volatile GatewayParty party;

		@Override
		public boolean reaches(String line, String number) {
			return number.startsWith("9");
		}

		@Override
		public ClientChannel connect(String line, String number, GatewayParty party) {
			this.phone = new Recorder();
			this.party = party;
			return this.phone;
		}

	}

	private record Signal(String what) implements MediaSignal {

	}

	private static final class Recorder implements ClientChannel {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		}

		@Override
		public void presence(PresenceFrame frame) {
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
			this.heard.add("incoming " + callId + " from " + from);
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			this.heard.add(callId + " " + state + ((state == CallState.RINGING || state == CallState.IN_CALL)
					? " offerer=" + offerer : " " + reason));
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
			this.heard.add(callId + " " + state + " " + how);
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
			this.heard.add(callId + " signal " + ((Signal) signal).what());
		}

		@Override
		public void fromParty(String callId, PartyMessage message) {
		}

		@Override
		public void refused(Refusal refusal) {
			this.heard.add(refusal.callId() + " refused " + refusal.reason());
		}

		@Override
		public void restartIce(String callId) {
		}

		@Override
		public void resumed(Resumed resumed) {
		}

	}

}
