package dev.webphone.line;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.webphone.ice.IceServer;
import dev.webphone.ice.IceServerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
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
		return new Switchboard(lines, PresenceProperties.defaults(), ice, observers, new StaticListableBeanFactory().getBeanProvider(LineJournal.class));
	}

	private Client join() {
		return this.switchboard.join("Test", Map.of(), new Recorder());
	}

	private static List<String> heard(Client client) {
		return ((Recorder) client.channel()).states;
	}

	/** The incoming calls a client was told of, as "callId from". */
	private static List<String> rung(Client client) {
		return ((Recorder) client.channel()).incoming;
	}

	/** A call from {@code a} to {@code b}, answered. */
	private void connected(Client a, Client b, String callId) {
		this.switchboard.dial(a, callId, b.number(), CallType.AUDIO);
		this.switchboard.accept(b, callId);
		assertThat(heard(a)).endsWith(callId + " IN_CALL");
	}

	@Test
	void aRestoredCallGoesOnWhereAnotherProcessLeftItAndNewNumbersComeAfterTheRestoredOnes() {
		Client a = this.switchboard.restore(new LineJournal.Session("Test", "1500", Map.of(), "h1"), new Recorder());
		Client b = this.switchboard.restore(new LineJournal.Session("Test", "1501", Map.of(), "h2"), new Recorder());
		JournalledCall recorded = new JournalledCall("Test", "1500", "1501", "1501", "up", "up-b", CallState.IN_CALL,
				CallType.VIDEO);
		assertThat(this.switchboard.restore(recorded, a, b)).isTrue();
		assertThat(this.switchboard.restore(recorded, a, b)).as("each party is in one call").isFalse();

		Client c = join();
		assertThat(c.number()).as("after the restored numbers").isEqualTo("1502");
		this.switchboard.dial(c, "to-a", "1500", CallType.AUDIO);
		assertThat(heard(c)).as("a restored client is offline until it resumes").containsExactly("to-a NOT_FOUND");

		assertThat(this.switchboard.resumed(b)).isTrue();
		Resumed.CallView view = ((Recorder) b.channel()).resumed.call();
		assertThat(view).isEqualTo(new Resumed.CallView("up-b", CallState.IN_CALL, "1500", false));
		assertThat(this.switchboard.resumed(a)).isTrue();
		this.switchboard.hangUp(b, "up-b", null);
		// The caller makes the offers: the callee's resume asks it to restart ICE.
		assertThat(heard(a)).containsExactly("up restart-ice", "up COMPLETED");
	}

	@Test
	void aForwardedCallRingsAtTheTargetUnderTheCallersIdAndFreesTheCallee() {
		Client a = join();
		Client b = join();
		Client c = join();
		this.switchboard.dial(a, "fwd", b.number(), CallType.AUDIO);
		this.switchboard.forward(b, "fwd", c.number());

		assertThat(heard(a)).containsExactly("fwd RINGING", "fwd RINGING FORWARDED " + c.number());
		assertThat(heard(b)).containsExactly("fwd COMPLETED FORWARDED " + a.number());
		assertThat(rung(c)).containsExactly("fwd " + a.number());
		assertThat(this.switchboard.ringingCount()).as("one call rings, at the target").isOne();

		this.switchboard.accept(c, "fwd");
		assertThat(heard(a)).endsWith("fwd IN_CALL");
		assertThat(heard(c)).containsExactly("fwd IN_CALL");
		assertThat(((Recorder) a.channel()).offerers).last().as("the caller still makes the offer").isEqualTo(true);

		Client d = join();
		this.switchboard.dial(d, "to-b", b.number(), CallType.AUDIO);
		assertThat(heard(d)).as("the callee is free").containsExactly("to-b RINGING");
		this.switchboard.hangUp(c, "fwd", null);
		assertThat(heard(a)).endsWith("fwd COMPLETED");
	}

	@Test
	void theCalleeTransfersTheCallerWhoRingsAtTheTargetAndConnects() {
		Client a = join();
		Client b = join();
		Client c = join();
		connected(a, b, "xfer");
		this.switchboard.transfer(b, "xfer", c.number());

		assertThat(heard(a)).endsWith("xfer RINGING TRANSFERRED " + c.number());
		assertThat(heard(b)).endsWith("xfer COMPLETED TRANSFERRED " + a.number());
		assertThat(rung(c)).containsExactly("xfer " + a.number());
		this.switchboard.relay(a, "xfer", new MediaSignal() {
		});
		assertThat(heard(a)).as("no media before the target answers").endsWith("xfer refused NOT_NOW");
		this.switchboard.accept(c, "xfer");
		assertThat(heard(a)).endsWith("xfer IN_CALL");
		assertThat(heard(c)).containsExactly("xfer IN_CALL");
		this.switchboard.hangUp(b, "xfer", null);
		assertThat(heard(b)).as("the transferer's id is over for it").endsWith("xfer COMPLETED TRANSFERRED " + a.number());
	}

	@Test
	void theCallerTransfersTheCalleeWhoCallsTheTargetUnderItsOwnId() {
		Client a = join();
		Client b = join();
		Client c = join();
		connected(a, b, "xfer");
		this.switchboard.transfer(a, "xfer", c.number());

		assertThat(heard(a)).endsWith("xfer COMPLETED TRANSFERRED " + b.number());
		assertThat(heard(b)).endsWith("xfer RINGING TRANSFERRED " + c.number());
		assertThat(rung(c)).containsExactly("xfer " + b.number());
		this.switchboard.accept(c, "xfer");
		assertThat(heard(b)).endsWith("xfer IN_CALL");
		assertThat(((Recorder) b.channel()).offerers).last().as("who stays calls the target, and offers").isEqualTo(true);
		assertThat(((Recorder) c.channel()).offerers).last().isEqualTo(false);
	}

	@Test
	void eitherPartyTransfersAHeldCallAndTheCallThatGoesOnIsNotHeld() {
		Client a = join();
		Client b = join();
		Client c = join();
		Client d = join();
		connected(a, b, "held");
		this.switchboard.hold(a, "held");
		this.switchboard.transfer(a, "held", c.number());
		assertThat(heard(a)).endsWith("held HOLD", "held COMPLETED TRANSFERRED " + b.number());
		assertThat(heard(b)).endsWith("held HOLD", "held RINGING TRANSFERRED " + c.number());
		this.switchboard.accept(c, "held");
		assertThat(heard(b)).endsWith("held IN_CALL");
		assertThat(heard(c)).containsExactly("held IN_CALL");

		this.switchboard.hold(b, "held");
		this.switchboard.transfer(b, "held", d.number());
		assertThat(heard(c)).endsWith("held HOLD", "held RINGING TRANSFERRED " + d.number());
		assertThat(rung(d)).containsExactly("held " + c.number());
		this.switchboard.hold(c, "held");
		assertThat(heard(c)).as("a ringing call cannot be held").endsWith("held refused NOT_NOW");
	}

	@Test
	void theTargetIsToldTheIdItWasRungByEvenWhenItsDialBackMergedTheCallBeforeItHeardOfIt() throws Exception {
		Client a = join();
		Client b = join();
		Client x = join();
		connected(a, b, "ab");
		// x's messages wait behind a refusal that is being delivered, as behind a slow socket.
		CountDownLatch gate = new CountDownLatch(1);
		((Recorder) x.channel()).refusalGate = gate;
		Thread refused = new Thread(() -> this.switchboard.accept(x, "none"));
		refused.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> refused.getState() == Thread.State.WAITING
				|| refused.getState() == Thread.State.TIMED_WAITING);

		this.switchboard.transfer(b, "ab", x.number());
		this.switchboard.dial(x, "back", a.number(), CallType.AUDIO);
		gate.countDown();
		refused.join(10_000);

		assertThat(rung(x)).containsExactly("ab " + a.number());
		assertThat(heard(x)).containsExactly("none refused NO_SUCH_CALL", "ab COMPLETED", "back IN_CALL");
		assertThat(heard(a)).endsWith("ab RINGING TRANSFERRED " + x.number(), "ab IN_CALL");
	}

	@Test
	void theDialPlanRoutesTheTarget() {
		Switchboard routed = TestSwitchboards.of(new LineProperties.Spec("Routed", Duration.ofSeconds(60), "", false,
				1001, 0, List.of(new LineProperties.DialRule("9(\\d+)", "$1")), List.of()));
		try {
			Client a = routed.join("Routed", Map.of(), new Recorder());
			Client b = routed.join("Routed", Map.of(), new Recorder());
			Client c = routed.join("Routed", Map.of(), new Recorder());
			routed.dial(a, "routed", b.number(), CallType.AUDIO);
			routed.forward(b, "routed", "9" + c.number());
			assertThat(rung(c)).containsExactly("routed " + a.number());
			assertThat(heard(a)).endsWith("routed RINGING FORWARDED " + c.number());
		}
		finally {
			routed.destroy();
		}
	}

	@Test
	void aRefusedForwardOrTransferLeavesTheCallAsItWas() {
		Client a = join();
		Client b = join();
		Client busy = join();
		Client other = join();
		this.switchboard.dial(busy, "elsewhere", other.number(), CallType.AUDIO);

		this.switchboard.dial(a, "ring", b.number(), CallType.AUDIO);
		this.switchboard.forward(b, "ring", busy.number());
		this.switchboard.forward(b, "ring", "99999");
		this.switchboard.forward(b, "ring", b.number());
		this.switchboard.forward(b, "ring", a.number());
		this.switchboard.forward(a, "ring", other.number());
		this.switchboard.transfer(b, "ring", other.number());
		this.switchboard.forward(b, "unknown", other.number());
		assertThat(heard(b)).containsExactly("ring refused TARGET_BUSY", "ring refused TARGET_NOT_FOUND",
				"ring refused INVALID_TARGET", "ring refused INVALID_TARGET", "ring refused NOT_NOW",
				"unknown refused NO_SUCH_CALL");
		assertThat(heard(a)).containsExactly("ring RINGING", "ring refused NOT_NOW");

		this.switchboard.accept(b, "ring");
		this.switchboard.transfer(a, "ring", busy.number());
		this.switchboard.transfer(a, "ring", a.number());
		this.switchboard.forward(a, "ring", other.number());
		assertThat(heard(a)).endsWith("ring IN_CALL", "ring refused TARGET_BUSY", "ring refused INVALID_TARGET",
				"ring refused NOT_NOW");
		this.switchboard.hangUp(b, "ring", null);
		assertThat(heard(a)).endsWith("ring COMPLETED");
		assertThat(rung(other)).containsExactly("elsewhere " + busy.number());
	}

	@Test
	void theStayingPartysHangUpAndLeaveFollowTheCallToTheTarget() {
		Client a = join();
		Client b = join();
		Client c = join();
		connected(a, b, "first");
		this.switchboard.transfer(b, "first", c.number());
		this.switchboard.hangUp(a, "first", null);
		assertThat(heard(c)).containsExactly("first COMPLETED");

		Client d = join();
		connected(a, d, "second");
		this.switchboard.transfer(d, "second", c.number());
		this.switchboard.endCall(a, "gone for now");
		assertThat(heard(c)).endsWith("second COMPLETED");

		Client e = join();
		connected(a, e, "third");
		this.switchboard.forward(c, "none", a.number());
		this.switchboard.transfer(e, "third", c.number());
		this.switchboard.leave(a);
		assertThat(heard(c)).endsWith("third COMPLETED");
		assertThat(this.switchboard.ringingCount()).isZero();
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

	@Test
	void eitherPartyHoldsAndEitherTakesTheCallOffHoldAndBothHearIt() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "held", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "held");
		this.switchboard.hold(a, "held");
		this.switchboard.unhold(b, "held");
		this.switchboard.hold(b, "held");
		this.switchboard.unhold(b, "held");
		assertThat(heard(a)).containsExactly("held RINGING", "held IN_CALL", "held HOLD", "held IN_CALL", "held HOLD",
				"held IN_CALL");
		assertThat(heard(b)).containsExactly("held IN_CALL", "held HOLD", "held IN_CALL", "held HOLD", "held IN_CALL");
		assertThat(((Recorder) a.channel()).offerers).as("the roles are given once, with the answer")
			.containsExactly(true, null, null);
		assertThat(((Recorder) b.channel()).offerers).containsExactly(false, null, null);
	}

	@Test
	void holdingACallThatIsNotConnectedOrHeldAlreadyIsRefusedAndChangesNothing() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "c", b.number(), CallType.AUDIO);
		this.switchboard.hold(a, "c");
		this.switchboard.unhold(b, "c");
		this.switchboard.accept(b, "c");
		this.switchboard.unhold(a, "c");
		this.switchboard.hold(b, "c");
		this.switchboard.hold(a, "c");
		this.switchboard.hold(a, "unknown");
		assertThat(heard(a)).containsExactly("c RINGING", "c refused NOT_NOW", "c IN_CALL", "c refused NOT_NOW",
				"c HOLD", "c refused NOT_NOW", "unknown refused NO_SUCH_CALL");
		assertThat(heard(b)).containsExactly("c refused NOT_NOW", "c IN_CALL", "c HOLD");
	}

	@Test
	void aHeldCallStillRelaysNegotiationAndEndsByHangingUpOrLeaving() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "up", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "up");
		this.switchboard.hold(b, "up");
		this.switchboard.relay(a, "up", new MediaSignal() {
		});
		this.switchboard.hangUp(b, "up", null);
		assertThat(heard(b)).containsExactly("up IN_CALL", "up HOLD", "up signal", "up COMPLETED");
		assertThat(heard(a)).endsWith("up HOLD", "up COMPLETED");

		this.switchboard.dial(a, "gone", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "gone");
		this.switchboard.hold(a, "gone");
		this.switchboard.leave(a);
		assertThat(heard(b)).endsWith("gone IN_CALL", "gone HOLD", "gone COMPLETED");
	}

	@Test
	void messagesAndDtmfReachTheOtherPartyInOrderUnderItsOwnIdOnlyWhileConnected() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "from-a", b.number(), CallType.AUDIO);
		this.switchboard.tellParty(a, "from-a", new PartyMessage.Text("too early"));
		// Simultaneous dialling: b knows the call by its own id from now on.
		this.switchboard.dial(b, "from-b", a.number(), CallType.AUDIO);
		this.switchboard.tellParty(a, "from-a", new PartyMessage.Text("hello"));
		this.switchboard.tellParty(a, "from-a", new PartyMessage.Dtmf("12#"));
		this.switchboard.hold(b, "from-b");
		this.switchboard.tellParty(b, "from-b", new PartyMessage.Text("on hold"));
		this.switchboard.tellParty(a, "from-b", new PartyMessage.Text("wrong id"));
		this.switchboard.hangUp(a, "from-a", null);
		this.switchboard.tellParty(b, "from-b", new PartyMessage.Text("too late"));
		assertThat(heard(a)).containsExactly("from-a RINGING", "from-a refused NOT_NOW", "from-a IN_CALL",
				"from-a HOLD", "from-a said on hold", "from-b refused NO_SUCH_CALL", "from-a COMPLETED");
		assertThat(heard(b)).containsExactly("from-a COMPLETED", "from-b IN_CALL", "from-b said hello",
				"from-b keyed 12#", "from-b HOLD", "from-b COMPLETED", "from-b refused NO_SUCH_CALL");
	}

	@Test
	void aResumedPartyOfAHeldCallIsToldHoldAndTheOfferingPartyRestartsIce() {
		Client a = join();
		Client b = join();
		this.switchboard.dial(a, "held", b.number(), CallType.AUDIO);
		this.switchboard.accept(b, "held");
		this.switchboard.hold(a, "held");
		assertThat(resumed(b).call()).isEqualTo(new Resumed.CallView("held", CallState.HOLD, a.number(), false));
		assertThat(heard(a)).endsWith("held HOLD", "held restart-ice");
		assertThat(resumed(a).call()).isEqualTo(new Resumed.CallView("held", CallState.HOLD, b.number(), true));
	}

	@Test
	void aTransferWaitsForTheTargetsMonitor() throws Exception {
		Client a = join();
		Client b = join();
		Client c = join();
		connected(a, b, "held");
		Thread transfer = new Thread(() -> this.switchboard.transfer(b, "held", c.number()));
		synchronized (c) {
			transfer.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> transfer.getState() == Thread.State.BLOCKED);
			assertThat(c.call()).as("nothing changes while the target's monitor is held").isNull();
			assertThat(a.call().state()).isEqualTo(CallState.IN_CALL);
		}
		transfer.join(10_000);
		assertThat(c.call()).isSameAs(a.call());
		assertThat(rung(c)).containsExactly("held " + a.number());
	}

	@Test
	void aHangUpThatReadTheCallBeforeItWasTransferredEndsTheCallThatWentOn() throws Exception {
		// b joins first, so that a's hang-up takes b's monitor before a's: it waits on b's holding
		// nothing, and the transfer (by b, on this thread, which holds b's) goes first.
		Client b = join();
		Client a = join();
		Client c = join();
		connected(a, b, "raced");
		Thread hangUp = new Thread(() -> this.switchboard.hangUp(a, "raced", null));
		synchronized (b) {
			hangUp.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> hangUp.getState() == Thread.State.BLOCKED);
			this.switchboard.transfer(b, "raced", c.number());
			assertThat(rung(c)).containsExactly("raced " + a.number());
		}
		hangUp.join(10_000);
		assertThat(heard(c)).as("the hang-up followed the call to the target").containsExactly("raced COMPLETED");
		assertThat(heard(a)).endsWith("raced RINGING TRANSFERRED " + c.number(), "raced COMPLETED");
		assertThat(a.call()).isNull();
		assertThat(c.call()).isNull();
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

		/** The offerer flag of every IN_CALL, {@code null} where it had none. */
		final List<Boolean> offerers = new java.util.ArrayList<>();

		final List<String> incoming = new CopyOnWriteArrayList<>();

		volatile Resumed resumed;

		/** When set, a refusal is delivered only once it opens: what the client is told queues behind. */
		volatile CountDownLatch refusalGate;

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		}

		@Override
		public void presence(PresenceFrame frame) {
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
			this.incoming.add(callId + " " + from);
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			this.states.add(callId + " " + state);
			if (state == CallState.IN_CALL) {
				this.offerers.add(offerer);
			}
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
			this.states.add(callId + " " + state + " " + how + " " + otherParty);
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
			this.states.add(callId + " signal");
		}

		@Override
		public void fromParty(String callId, PartyMessage message) {
			this.states.add(callId + ((message instanceof PartyMessage.Text text) ? " said " + text.text()
					: " keyed " + ((PartyMessage.Dtmf) message).digits()));
		}

		@Override
		public void refused(Refusal refusal) {
			this.states.add(refusal.callId() + " refused " + refusal.reason());
			CountDownLatch gate = this.refusalGate;
			if (gate != null) {
				try {
					gate.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
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
