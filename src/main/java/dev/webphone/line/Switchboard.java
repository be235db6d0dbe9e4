package dev.webphone.line;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.webphone.ice.IceServer;
import dev.webphone.ice.IceServerProvider;
import dev.webphone.line.Call.Role;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

/**
 * The embedded phone system: lets clients join lines, routes their calls and relays their WebRTC
 * negotiation to the other party of a call.
 *
 * <p>Every change to a call happens while both parties' monitors are held (taken in a fixed order,
 * so two calls never deadlock); there is no lock shared by unrelated calls. What the change means for
 * each client is collected in an {@link Outbox} and sent once the monitors are released.
 */
@Service
@ConditionalOnEmbeddedLine
public class Switchboard implements DisposableBean {

	private static final String MERGED = "merged";

	private final Map<String, Line> lines;

	private final IceServerProvider iceServers;

	private final List<CallObserver> observers;

	private final RingTimers ringTimers;

	private final ExecutorService presencePool;

	Switchboard(LineProperties properties, IceServerProvider iceServers, ObjectProvider<CallObserver> observers) {
		this.iceServers = iceServers;
		this.observers = observers.orderedStream().toList();
		this.ringTimers = new RingTimers(
				RingTimers.tickFor(properties.lines().stream().map(LineProperties.Spec::ringTimeout).toList()),
				this::ringTimedOut);
		this.presencePool = Executors.newFixedThreadPool(2, new CustomizableThreadFactory("presence-"));
		this.lines = properties.lines()
			.stream()
			.map((spec) -> new Line(spec, this.presencePool))
			.collect(Collectors.toUnmodifiableMap(Line::name, Function.identity()));
	}

	/** The names of the configured lines. */
	public Set<String> lineNames() {
		return this.lines.keySet();
	}

	/**
	 * How many clients are connected to a line, counting one that is still joining.
	 * @throws IllegalArgumentException when there is no such line
	 */
	public int clientCount(String lineName) {
		Line line = this.lines.get(lineName);
		if (line == null) {
			throw new IllegalArgumentException("There is no webphone line '" + lineName + "'");
		}
		return line.clientCount();
	}

	/**
	 * Joins a client to a line: gives it a new number, tells it so, and announces it to the line.
	 * @param lineName the line the client asked for
	 * @param properties what the client shows the other clients of the line
	 * @param channel where the client's messages go
	 * @return the joined client
	 * @throws AccessDeniedException when there is no such line or it is full
	 */
	public Client join(String lineName, Map<String, Object> properties, ClientChannel channel) {
		Line line = this.lines.get(lineName);
		if (line == null) {
			throw new AccessDeniedException("There is no webphone line '" + lineName + "'");
		}
		if (!line.reserveSeat()) {
			throw new AccessDeniedException("The webphone line '" + lineName + "' is full");
		}
		Client client = new Client(line, line.allocateNumber(), properties, channel);
		List<IceServer> ice = this.iceServers.iceServersFor(line.name() + "/" + client.number());
		// Reachable as soon as it is told its number, and never called before that: a dial to it
		// needs this monitor. Presence is queued only once access-granted is sent, so it comes after.
		synchronized (client) {
			line.add(client);
			channel.accessGranted(line.name(), client.number(), ice);
			line.announce(client);
		}
		this.observers.forEach((observer) -> observer.clientJoined(line.name()));
		return client;
	}

	/**
	 * The client has gone: its call ends ({@code COMPLETED} for the other party) and the line
	 * announces it offline. Calling this twice does nothing the second time.
	 */
	public void leave(Client client) {
		leave(client, "the other party disconnected");
	}

	/**
	 * The client has gone for good: as {@link #leave(Client)}, telling the other party of its call
	 * {@code reason}. Its number is released.
	 */
	public void leave(Client client, String reason) {
		Call call;
		synchronized (client) {
			if (client.isGone()) {
				return;
			}
			client.markGone();
			call = client.call();
		}
		if (call != null) {
			Outbox outbox = new Outbox();
			lockBoth(call.caller(), call.callee(), () -> {
				if (client.call() == call) {
					change(call, CallEvent.DISCONNECT, call.roleOf(client), reason, outbox);
				}
			});
			outbox.deliver();
		}
		client.line().remove(client);
		this.observers.forEach((observer) -> observer.clientLeft(client.lineName()));
	}

	/**
	 * The client's page is gone or its connection is lost, but it may come back: its call ends now
	 * ({@code COMPLETED} with {@code reason} for the other party) while it keeps its number.
	 */
	public void endCall(Client client, String reason) {
		Call call;
		synchronized (client) {
			call = client.call();
		}
		if (call == null) {
			return;
		}
		Outbox outbox = new Outbox();
		lockBoth(call.caller(), call.callee(), () -> {
			if (client.call() == call) {
				change(call, CallEvent.DISCONNECT, call.roleOf(client), reason, outbox);
			}
		});
		outbox.deliver();
	}

	/**
	 * The client's connection came back after a loss: {@code tell} gets fresh ICE servers and the call
	 * as it stands, before anything else the line sends; then the client is reachable again, it and the
	 * line are announced to each other, and when its call is connected and the other party makes the WebRTC offers, that party is asked
	 * to restart ICE (when this client makes them, the view tells it to).
	 */
	public void resumed(Client client, Consumer<Resumed> tell) {
		Call call;
		synchronized (client) {
			call = client.call();
		}
		Outbox outbox = new Outbox();
		Resumed.CallView[] view = new Resumed.CallView[1];
		if (call != null) {
			lockBoth(call.caller(), call.callee(), () -> {
				if (client.call() != call || client.isGone()) {
					return;
				}
				Role role = call.roleOf(client);
				Client other = call.otherParty(client);
				boolean offerer = role == Role.CALLER;
				view[0] = new Resumed.CallView(call.legId(role), call.stateSeenBy(role), other.number(), offerer);
				if (call.state() == CallState.IN_CALL && !offerer && !other.isGone()) {
					String otherLeg = call.legIdOf(other);
					outbox.add(() -> other.channel().restartIce(otherLeg));
				}
			});
		}
		tell.accept(new Resumed(this.iceServers.iceServersFor(client.lineName() + "/" + client.number()), view[0]));
		outbox.deliver();
		client.line().add(client);
		client.line().announce(client);
	}

	/**
	 * The client's connection is lost but it may come back: until it does, it cannot be dialled and
	 * the line shows it offline; it keeps its seat and its call (see {@link #endCall}).
	 */
	public void detached(Client client) {
		client.line().hide(client);
	}

	/**
	 * Dials a number of the caller's line.
	 * @param callId the id the caller chose for this call
	 * @param to the number, or empty for the line's default route
	 */
	public void dial(Client caller, String callId, String to, CallType type) {
		Line line = caller.line();
		String number = (to == null || to.isEmpty()) ? line.spec().defaultRoute() : to;
		Client callee = number.isEmpty() ? null : line.find(number);
		Outbox outbox = new Outbox();
		if (callee == null) {
			refuse(caller, callId, number, CallState.NOT_FOUND, "No client with number '" + number + "' is online",
					outbox);
		}
		else if (callee == caller) {
			refuse(caller, callId, number, CallState.BUSY, "That is this client's own number", outbox);
		}
		else {
			lockBoth(caller, callee, () -> dialLocked(caller, callee, callId, type, outbox));
		}
		outbox.deliver();
	}

	private void dialLocked(Client caller, Client callee, String callId, CallType type, Outbox outbox) {
		if (caller.isGone()) {
			return;
		}
		Call current = caller.call();
		if (current != null) {
			if (current.state() == CallState.RINGING && current.callee() == caller && current.caller() == callee) {
				merge(current, callId, outbox);
				return;
			}
			if (callId.equals(current.legIdOf(caller))) {
				throw new SignalingException(ErrorCode.INVALID_CALL_ID, "The call id is already in use", callId);
			}
			throw new SignalingException(ErrorCode.INVALID_STATE, "This client is already in a call", callId);
		}
		if (callee.isGone()) {
			refuse(caller, callId, callee.number(), CallState.NOT_FOUND,
					"No client with number '" + callee.number() + "' is online", outbox);
		}
		else if (callee.call() != null) {
			refuse(caller, callId, callee.number(), CallState.BUSY, "The other party is in another call", outbox);
		}
		else {
			Call call = new Call(caller, callee, callId);
			caller.setCall(call);
			callee.setCall(call);
			this.ringTimers.start(call);
			outbox.add(() -> caller.channel().callState(callId, CallState.RINGING, callee.number(), null, null));
			outbox.add(() -> callee.channel().incoming(callId, caller.number(), type, caller.properties()));
			this.observers.forEach((o) -> o.callStateChanged(caller.lineName(), null, CallState.RINGING, Duration.ZERO));
		}
	}

	/**
	 * The two clients dialled each other at the same moment: instead of {@code BUSY} for the second,
	 * the ringing call is answered, and each side hears of it under the id of its own dial.
	 */
	private void merge(Call ringing, String calleeDialId, Outbox outbox) {
		Client callee = ringing.callee();
		String supersededId = ringing.legId(Role.CALLEE);
		outbox.add(() -> callee.channel()
			.callState(supersededId, CallState.COMPLETED, ringing.caller().number(), MERGED, null));
		ringing.mergeAnswer(calleeDialId);
		this.ringTimers.stop(ringing);
		announce(ringing, CallState.RINGING, null, outbox);
	}

	/** The callee answers a ringing call. */
	public void accept(Client callee, String callId) {
		onCall(callee, callId, false, (call, outbox) -> {
			if (call.roleOf(callee) != Role.CALLEE) {
				throw new SignalingException(ErrorCode.INVALID_STATE, "Only the called party can accept a call", callId);
			}
			requestChange(call, CallEvent.ANSWER, Role.CALLEE, null, callId, outbox);
		});
	}

	/** The callee declines a ringing call; the caller sees {@code REJECTED}. */
	public void reject(Client callee, String callId) {
		onCall(callee, callId, false, (call, outbox) -> {
			if (call.roleOf(callee) != Role.CALLEE) {
				throw new SignalingException(ErrorCode.INVALID_STATE, "Only the called party can reject a call", callId);
			}
			requestChange(call, CallEvent.DECLINE, Role.CALLEE, "declined", callId, outbox);
		});
	}

	/**
	 * A party hangs up, in any state. A call that is already over, or unknown, is ignored: hanging up
	 * twice is not an error.
	 * @param reason why, as the client says (shown to the other party), or {@code null}
	 */
	public void hangUp(Client client, String callId, String reason) {
		onCall(client, callId, true,
				(call, outbox) -> requestChange(call, CallEvent.HANG_UP, call.roleOf(client), reason, callId, outbox));
	}

	/**
	 * Relays a session description or ICE candidate to the other party of a connected call.
	 */
	public void relay(Client from, String callId, MediaSignal signal) {
		onCall(from, callId, false, (call, outbox) -> {
			if (call.state() != CallState.IN_CALL) {
				throw new SignalingException(ErrorCode.INVALID_STATE,
						"Media negotiation needs a connected call; this one is " + call.state(), callId);
			}
			Client to = call.otherParty(from);
			String toCallId = call.legIdOf(to);
			outbox.add(() -> to.channel().signal(toCallId, signal));
		});
		this.observers.forEach((observer) -> observer.signalRelayed(from.lineName()));
	}

	private void onCall(Client client, String callId, boolean ignoreUnknown, CallAction action) {
		Call call;
		synchronized (client) {
			call = client.call();
		}
		Outbox outbox = new Outbox();
		if (call != null) {
			lockBoth(call.caller(), call.callee(), () -> {
				if (client.call() == call && callId.equals(call.legIdOf(client))) {
					action.apply(call, outbox);
				}
				else if (!ignoreUnknown) {
					throw unknownCall(callId);
				}
			});
		}
		else if (!ignoreUnknown) {
			throw unknownCall(callId);
		}
		outbox.deliver();
	}

	private static SignalingException unknownCall(String callId) {
		return new SignalingException(ErrorCode.UNKNOWN_CALL, "This client has no call '" + callId + "'", callId);
	}

	private void requestChange(Call call, CallEvent event, Role by, String reason, String callId, Outbox outbox) {
		try {
			change(call, event, by, reason, outbox);
		}
		catch (IllegalCallTransitionException ex) {
			throw new SignalingException(ErrorCode.INVALID_STATE, "The call is " + ex.state, callId);
		}
	}

	private void ringTimedOut(Call call) {
		Outbox outbox = new Outbox();
		lockBoth(call.caller(), call.callee(), () -> {
			if (call.state() == CallState.RINGING) {
				change(call, CallEvent.RING_TIMEOUT, null, "no answer", outbox);
			}
		});
		outbox.deliver();
	}

	/** Applies an event to the call and tells both parties the outcome. */
	private void change(Call call, CallEvent event, Role by, String reason, Outbox outbox) {
		CallState from = call.state();
		CallState to = call.apply(event, by);
		if (from == CallState.RINGING && to != CallState.RINGING) {
			this.ringTimers.stop(call);
		}
		if (to.isFinal()) {
			call.caller().setCall(null);
			call.callee().setCall(null);
		}
		announce(call, from, reason, outbox);
	}

	private void announce(Call call, CallState from, String reason, Outbox outbox) {
		CallState to = call.state();
		for (Role role : Role.values()) {
			Client party = call.party(role);
			if (party.isGone()) {
				continue;
			}
			String callId = call.legId(role);
			CallState seen = call.stateSeenBy(role);
			String otherNumber = call.otherParty(party).number();
			Boolean offerer = (to == CallState.IN_CALL) ? role == Role.CALLER : null;
			outbox.add(() -> party.channel().callState(callId, seen, otherNumber, reason, offerer));
		}
		Duration sinceDial = Duration.ofNanos(System.nanoTime() - call.startedNanos());
		this.observers.forEach((observer) -> observer.callStateChanged(call.caller().lineName(), from, to, sinceDial));
	}

	private void refuse(Client caller, String callId, String number, CallState outcome, String reason,
			Outbox outbox) {
		outbox.add(() -> caller.channel().callState(callId, outcome, number, reason, null));
		this.observers.forEach((observer) -> observer.callStateChanged(caller.lineName(), null, outcome, Duration.ZERO));
	}

	/** How many calls are ringing, waiting for an answer or their ring timeout. */
	int ringingCount() {
		return this.ringTimers.ringingCount();
	}

	/** Runs {@code action} holding both clients' monitors, always taken in the same order. */
	private static void lockBoth(Client a, Client b, Runnable action) {
		Client first = (a.order < b.order) ? a : b;
		Client second = (first == a) ? b : a;
		synchronized (first) {
			synchronized (second) {
				action.run();
			}
		}
	}

	@Override
	public void destroy() {
		this.ringTimers.shutdown();
		this.presencePool.shutdownNow();
	}

	@FunctionalInterface
	private interface CallAction {

		void apply(Call call, Outbox outbox);

	}

}
