package dev.webphone.line;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.webphone.ice.IceServer;
import dev.webphone.ice.IceServerProvider;
import dev.webphone.line.Call.Role;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

/**
 * The embedded phone system: lets clients join lines, routes their calls and relays their WebRTC
 * negotiation to the other party of a call.
 *
 * <p>Every change to a call happens while both parties' monitors are held, and a forward or transfer
 * holds the target's too; monitors are always taken in one global order ({@link Client#order}), so
 * no two decisions deadlock, and there is no lock shared by unrelated calls. A call and its parties
 * are read before the monitors are taken and checked again once they are held: the call may have
 * ended, or been re-seated to other parties, meanwhile. What the change means for each client,
 * refusals included, is posted to that client's {@link Mailbox} while the monitors are held, and sent
 * once they are released: each client hears everything in the order it was decided.
 */
@Service
@ConditionalOnEmbeddedLine
public class Switchboard implements DisposableBean {

	private static final String MERGED = "merged";

	private final Map<String, Line> lines;

	private final IceServerProvider iceServers;

	private final List<CallObserver> observers;

	private final RingTimers ringTimers;

	private final ScheduledExecutorService presencePool;

	private final JoinRate joinRate;

	/** Where the line's state is written through for a process that takes it over; {@link LineJournal#NONE} alone. */
	private final LineJournal journal;

	/** Where numbers that are not browsers' go (SIP phones); {@code null} when none is configured. */
	private final Gateway gateway;

	Switchboard(LineProperties properties, PresenceProperties presence, IceServerProvider iceServers,
			ObjectProvider<CallObserver> observers, ObjectProvider<LineJournal> journal) {
		this(properties, presence, iceServers, observers, journal.getIfAvailable(() -> LineJournal.NONE),
				(Gateway) null);
	}

	@Autowired
	Switchboard(LineProperties properties, PresenceProperties presence, IceServerProvider iceServers,
			ObjectProvider<CallObserver> observers, ObjectProvider<LineJournal> journal,
			ObjectProvider<Gateway> gateway) {
		this(properties, presence, iceServers, observers, journal.getIfAvailable(() -> LineJournal.NONE),
				gateway.getIfAvailable());
	}

	/** A switchboard with a gateway and no journal, for the tests of the gateway. */
	Switchboard(LineProperties properties, PresenceProperties presence, IceServerProvider iceServers,
			ObjectProvider<CallObserver> observers, Gateway gateway) {
		this(properties, presence, iceServers, observers, LineJournal.NONE, gateway);
	}

	private Switchboard(LineProperties properties, PresenceProperties presence, IceServerProvider iceServers,
			ObjectProvider<CallObserver> observers, LineJournal journal, Gateway gateway) {
		this.journal = journal;
		this.gateway = gateway;
		this.iceServers = iceServers;
		this.observers = observers.orderedStream().toList();
		this.ringTimers = new RingTimers(
				RingTimers.tickFor(properties.lines().stream().map(LineProperties.Spec::ringTimeout).toList()),
				this::ringTimedOut);
		this.presencePool = Executors.newScheduledThreadPool(2, new CustomizableThreadFactory("presence-"));
		this.joinRate = new JoinRate(presence.joinBurst(), presence.joinsPerSecond());
		this.lines = properties.lines()
			.stream()
			.map((spec) -> new Line(spec, this.presencePool, this.presencePool, presence))
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
	 * Joins a client to a line: {@link #admit} and {@link #enter} in one, for callers that no other
	 * thread can close at the same time.
	 * @throws AccessDeniedException when there is no such line or it is full
	 */
	public Client join(String lineName, Map<String, Object> properties, ClientChannel channel) {
		return join(lineName, null, properties, channel);
	}

	/**
	 * Joins a client to a line under the number it must have (one fixed by its token, say), or a new
	 * number: {@link #admit} and {@link #enter} in one.
	 * @param number the number the client must have, or {@code null} for a new one
	 * @throws AccessDeniedException when there is no such line, it is full, or the number is taken
	 */
	public Client join(String lineName, String number, Map<String, Object> properties, ClientChannel channel) {
		Client client = admit(lineName, number, properties, channel);
		enter(client);
		return client;
	}

	/**
	 * Takes a seat and a number on a line for a client that nobody can reach yet. The caller records
	 * the client where whatever ends its connection will find it, then calls {@link #enter}: a
	 * connection closed in between then {@link #leave}s, and gives back the seat, instead of leaving a
	 * client nobody will ever remove.
	 * @param lineName the line the client asked for
	 * @param properties what the client shows the other clients of the line
	 * @param channel where the client's messages go
	 * @return the admitted client
	 * @throws AccessDeniedException when there is no such line or it is full
	 */
	public Client admit(String lineName, Map<String, Object> properties, ClientChannel channel) {
		return admit(lineName, null, properties, channel);
	}

	/**
	 * {@link #admit(String, Map, ClientChannel) Admits} a client under the number it must have, one
	 * fixed by its token, say.
	 * @param number the number, or {@code null} for a new one
	 * @throws AccessDeniedException when there is no such line, it is full, or the number is taken
	 */
	public Client admit(String lineName, String number, Map<String, Object> properties, ClientChannel channel) {
		Line line = this.lines.get(lineName);
		if (line == null) {
			throw new AccessDeniedException("There is no webphone line '" + lineName + "'");
		}
		if (!this.joinRate.tryJoin(channel.remoteAddress())) {
			throw new AccessDeniedException("Too many clients joined from this address; try again in a few seconds");
		}
		if (!line.reserveSeat()) {
			throw new AccessDeniedException("The webphone line '" + lineName + "' is full");
		}
		try {
			if (number != null && line.find(number) != null) {
				throw numberInUse(number, line);
			}
			return new Client(line, (number != null) ? number : unusedNumber(line), properties, channel);
		}
		catch (RuntimeException ex) {
			line.releaseSeat();
			throw ex;
		}
	}

	/**
	 * Makes an admitted client reachable by its number, tells it so, and announces it to the line.
	 * Does nothing for a client that has left already; leaves for it if a step fails.
	 */
	public void enter(Client client) {
		Line line = client.line();
		try {
			List<IceServer> ice = this.iceServers.iceServersFor(line.name() + "/" + client.number());
			// Reachable as soon as it is told its number, and never called before that: a dial to it
			// needs this monitor, and its messages queue behind access-granted; presence too.
			synchronized (client) {
				if (client.isGone()) {
					return;
				}
				if (!line.add(client)) {
					throw numberInUse(client.number(), line);
				}
				client.markEntered();
				client.post((channel) -> channel.accessGranted(line.name(), client.number(), ice));
				line.announce(client);
			}
		}
		catch (RuntimeException ex) {
			leave(client);
			throw ex;
		}
		client.flush();
		this.observers.forEach((observer) -> observer.clientJoined(line.name()));
	}

	/** A number the line hands out that no client holds by its token. */
	private static String unusedNumber(Line line) {
		String number;
		do {
			number = line.allocateNumber();
		}
		while (line.find(number) != null);
		return number;
	}

	private static AccessDeniedException numberInUse(String number, Line line) {
		return new AccessDeniedException("The number " + number + " is already in use on the line '" + line.name() + "'");
	}

	/**
	 * From now on the client hears of these numbers coming and going, also on a line too big for
	 * everyone to hear of everyone; it is told their state at once.
	 */
	public void watch(Client client, List<String> numbers) {
		client.line().watch(client, numbers);
	}

	/**
	 * The client has gone: its call ends ({@code COMPLETED} for the other party) and the line
	 * announces it offline. Calling this twice does nothing the second time; for a client that was
	 * only admitted, it gives back the seat.
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
		boolean entered;
		synchronized (client) {
			if (client.isGone()) {
				return;
			}
			client.markGone();
			entered = client.hasEntered();
			call = client.call();
		}
		if (call != null) {
			endCurrentCall(client, call, reason);
		}
		client.line().remove(client);
		if (entered) {
			if (this.journal.isRecording()) {
				this.journal.sessionEnded(client.lineName(), client.number());
			}
			this.observers.forEach((observer) -> observer.clientLeft(client.lineName()));
		}
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
		if (call != null) {
			endCurrentCall(client, call, reason);
		}
	}

	/**
	 * Ends {@code call}, which {@code client} was in, for its going away, following it to the parties
	 * of the call that re-seated it if it was forwarded or transferred meanwhile: the client is the
	 * party that stayed, and that call is still its own.
	 */
	private void endCurrentCall(Client client, Call call, String reason) {
		Call current = call;
		while (current != null) {
			Call seen = current;
			Call[] next = new Call[1];
			decide(seen.caller(), seen.callee(), (outbox) -> {
				Call now = client.call();
				if (now == seen) {
					change(seen, CallEvent.DISCONNECT, seen.roleOf(client), reason, outbox);
				}
				else if (now != null && now.sameConversation(seen)) {
					next[0] = now;
				}
			});
			current = next[0];
		}
	}

	/**
	 * The client's connection came back after a loss. It is told, before anything else the line sends
	 * it, fresh ICE servers and its call as it stands; then it is reachable again, and it and the line
	 * are announced to each other. When its call is connected and the other party makes the WebRTC
	 * offers, that party is asked to restart ICE (when this client makes them, its view says so).
	 * @return {@code false} when another client took its number meanwhile (one fixed by a token): then
	 * it has left the line
	 */
	public boolean resumed(Client client) {
		List<IceServer> ice = this.iceServers.iceServersFor(client.lineName() + "/" + client.number());
		while (true) {
			Call call;
			synchronized (client) {
				call = client.call();
			}
			Client other = (call != null) ? call.otherParty(client) : client;
			boolean[] outcome = new boolean[2];
			decide(client, other, (outbox) -> {
				if (client.call() != call) {
					// The call ended while the monitors were taken: look again.
					return;
				}
				outcome[0] = true;
				Line line = client.line();
				if (client.isGone() || (line.find(client.number()) != client && !line.add(client))) {
					return;
				}
				outcome[1] = true;
				Resumed.CallView view = null;
				if (call != null) {
					Role role = call.roleOf(client);
					boolean offerer = role == Role.CALLER;
					view = new Resumed.CallView(call.legId(role), call.state(), call.otherNumber(role), offerer);
					// A held call's media session is up too, and must find its way back for the unhold.
					if (call.state().isConnected() && !offerer && !other.isGone()) {
						String otherLeg = call.legIdOf(other);
						outbox.tell(other, (channel) -> channel.restartIce(otherLeg));
					}
				}
				Resumed resumed = new Resumed(ice, view);
				outbox.tell(client, (channel) -> channel.resumed(resumed));
				line.announce(client);
			});
			if (!outcome[0]) {
				continue;
			}
			if (!outcome[1]) {
				leave(client, "the other party's number was taken by another connection");
			}
			return outcome[1];
		}
	}

	/**
	 * The client's connection is lost but it may come back: until it does, it cannot be dialled and
	 * the line shows it offline; it keeps its seat and its call (see {@link #endCall}).
	 */
	public void detached(Client client) {
		client.line().hide(client);
	}

	/**
	 * Dials a number of the caller's line. A refusal, and the call's outcome, reach the caller through
	 * its channel.
	 * @param callId the id the caller chose for this call
	 * @param to the number, or empty for the line's default route
	 */
	public void dial(Client caller, String callId, String to, CallType type) {
		Line line = caller.line();
		String number = line.route(to);
		// A phone's call comes in through the gateway and goes to a browser, never back out.
		if (this.gateway != null && !caller.isAtGateway() && !number.isEmpty()
				&& this.gateway.reaches(line.name(), number)) {
			GatewayParty party = new GatewayParty(this);
			Client phone = new Client(line, number, Map.of(), this.gateway.connect(line.name(), number, party), true);
			party.bind(phone);
			decide(caller, caller, phone, (outbox) -> dialLocked(caller, phone, number, callId, type, outbox));
			return;
		}
		Client callee = number.isEmpty() ? null : line.find(number);
		decide(caller, caller, (callee != null) ? callee : caller,
				(outbox) -> dialLocked(caller, callee, number, callId, type, outbox));
	}

	/**
	 * A phone behind the gateway calls a browser of a line: the phone is the caller of a call like any
	 * other, hearing through {@code connect}'s channel what a calling browser would, and the callee
	 * rings as for a browser's dial. The phone makes the offer, after the answer.
	 * @param from the phone's number or name, as the callee is shown it
	 * @param to the number dialled, through the line's dial plan
	 * @param callId the id the call has for the phone
	 * @param connect the phone's channel, given the party it acts through
	 * @throws IllegalArgumentException when there is no such line
	 */
	public void dialFromGateway(String lineName, String from, String to, String callId,
			Function<GatewayParty, ClientChannel> connect) {
		Line line = this.lines.get(lineName);
		if (line == null) {
			throw new IllegalArgumentException("There is no webphone line '" + lineName + "'");
		}
		GatewayParty party = new GatewayParty(this);
		Client phone = new Client(line, from, Map.of(), connect.apply(party), true);
		party.bind(phone);
		dial(phone, callId, to, CallType.AUDIO);
	}

	private void dialLocked(Client caller, Client callee, String number, String callId, CallType type,
			Outbox outbox) {
		if (caller.isGone()) {
			return;
		}
		Call current = caller.call();
		if (current != null) {
			if (callId.equals(current.legIdOf(caller))) {
				// Without a call id: an error naming the live call would end it on the page.
				throw new Refusal(Refusal.Reason.NOT_NOW,
						"This client is already in call '" + callId + "'; a new call needs a new id", null);
			}
			if (current.state() == CallState.RINGING && current.callee() == caller && current.caller() == callee) {
				merge(current, callId, outbox);
				return;
			}
			throw new Refusal(Refusal.Reason.NOT_NOW, "This client is already in a call", callId);
		}
		Call call = new Call(caller, callee, number, callId, type);
		if (callee == null || callee.isGone()) {
			change(call, CallEvent.DIAL_NOT_FOUND, Role.CALLER, number.isEmpty()
					? "The dial plan of this line sends that number nowhere"
					: "No client with number '" + number + "' is online", outbox);
		}
		else if (callee == caller) {
			change(call, CallEvent.DIAL_BUSY, Role.CALLER, "That is this client's own number", outbox);
		}
		else if (callee.call() != null) {
			change(call, CallEvent.DIAL_BUSY, Role.CALLER, "The other party is in another call", outbox);
		}
		else {
			caller.setCall(call);
			callee.setCall(call);
			this.ringTimers.start(call);
			change(call, CallEvent.DIAL, Role.CALLER, null, outbox);
			outbox.tell(callee, (channel) -> channel.incoming(callId, caller.number(), type, caller.properties()));
		}
	}

	/**
	 * The two clients dialled each other at the same moment: instead of {@code BUSY} for the second,
	 * the ringing call is answered, and each side hears of it under the id of its own dial.
	 */
	private void merge(Call ringing, String calleeDialId, Outbox outbox) {
		String supersededId = ringing.legId(Role.CALLEE);
		CallTransition transition = ringing.dialBack(calleeDialId);
		this.ringTimers.stop(ringing);
		journal(ringing);
		Client callee = ringing.callee();
		String callerNumber = ringing.caller().number();
		outbox.tell(callee,
				(channel) -> channel.callState(supersededId, transition.calleeOldIdHears, callerNumber, MERGED, null));
		announce(ringing, transition, CallState.RINGING, null, outbox);
	}

	/** The callee answers a ringing call. */
	public void accept(Client callee, String callId) {
		onCall(callee, callId, false, (call, outbox) -> {
			if (call.roleOf(callee) != Role.CALLEE) {
				throw new Refusal(Refusal.Reason.NOT_NOW, "Only the called party can accept a call", callId);
			}
			requestChange(call, CallEvent.ANSWER, Role.CALLEE, null, callId, outbox);
		});
	}

	/** The callee declines a ringing call; the caller sees {@code REJECTED}. */
	public void reject(Client callee, String callId) {
		onCall(callee, callId, false, (call, outbox) -> {
			if (call.roleOf(callee) != Role.CALLEE) {
				throw new Refusal(Refusal.Reason.NOT_NOW, "Only the called party can reject a call", callId);
			}
			requestChange(call, CallEvent.DECLINE, Role.CALLEE, "declined", callId, outbox);
		});
	}

	/**
	 * The callee sends its ringing call on to {@code target} (routed by the line's dial plan): the caller
	 * rings there from now on, under the same call id, and the callee is done with the call
	 * ({@code COMPLETED}). Refused, the call staying as it was, when the target is in a call, not
	 * online, or a party of this call.
	 */
	public void forward(Client callee, String callId, String target) {
		redirect(callee, callId, target, CallEvent.FORWARD, Redirect.FORWARDED);
	}

	/**
	 * A party of a connected call, held or not, sends the other party on to {@code target} (routed by
	 * the line's dial plan), a blind transfer: the other party rings there from now on, under the same call id, and
	 * the party that transferred it is done with the call ({@code COMPLETED}). Refused, the call
	 * staying as it was, when the target is in a call, not online, or a party of this call.
	 */
	public void transfer(Client party, String callId, String target) {
		redirect(party, callId, target, CallEvent.TRANSFER, Redirect.TRANSFERRED);
	}

	/**
	 * Forwards or transfers: three clients change (the mover, the party that stays, the target), so all
	 * three monitors are held, and the target is looked at again once they are.
	 */
	private void redirect(Client mover, String callId, String target, CallEvent event, Redirect how) {
		Line line = mover.line();
		String number = line.route(target);
		Client found = number.isEmpty() ? null : line.find(number);
		onCall(mover, callId, false, (call) -> (found != null) ? found : mover, (call, outbox) -> {
			if (mover.isGone()) {
				return;
			}
			Role role = call.roleOf(mover);
			Client staying = call.otherParty(mover);
			try {
				CallTransition.of(call.state(), event, role);
			}
			catch (IllegalCallTransitionException ex) {
				throw new Refusal(Refusal.Reason.NOT_NOW, (event == CallEvent.FORWARD)
						? ((role == Role.CALLEE) ? "Only a ringing call can be forwarded; this one is " + call.state()
								: "Only the called party can forward a call")
						: "Only a connected call, held or not, can be transferred; this one is " + call.state(), callId);
			}
			if (number.equals(mover.number()) || number.equals(staying.number())) {
				throw new Refusal(Refusal.Reason.INVALID_TARGET, "The call cannot be "
						+ ((event == CallEvent.FORWARD) ? "forwarded" : "transferred") + " to one of its own parties ("
						+ number + ")", callId);
			}
			if (found == null || found.isGone() || line.find(number) != found) {
				throw new Refusal(Refusal.Reason.TARGET_NOT_FOUND, number.isEmpty()
						? "The dial plan of this line sends that number nowhere"
						: "No client with number '" + number + "' is online", callId);
			}
			if (found.call() != null) {
				throw new Refusal(Refusal.Reason.TARGET_BUSY, "The client with number '" + number + "' is in another call",
						callId);
			}
			if (staying.isAtGateway() || mover.isAtGateway()) {
				// The phone's media goes through the gateway to this call's browser alone.
				throw new Refusal(Refusal.Reason.NOT_NOW, "A call with a SIP phone cannot be "
						+ ((event == CallEvent.FORWARD) ? "forwarded" : "transferred"), callId);
			}
			if (staying.isGone()) {
				// Its leave is about to end the call; a call re-seated now would outlive it.
				throw new Refusal(Refusal.Reason.NOT_NOW, "The other party has just left", callId);
			}
			reseat(call, event, role, staying, found, number, how, outbox);
		});
	}

	/**
	 * Applies a forward or transfer: the mover leaves, the call that goes on is between the party that
	 * stays and the target, and each of the three hears what the table's row says.
	 */
	private void reseat(Call call, CallEvent event, Role moverRole, Client staying, Client target, String number,
			Redirect how, Outbox outbox) {
		CallState from = call.state();
		CallTransition transition = call.apply(event, moverRole);
		Call reseated = call.reseated(transition, staying, target, number);
		Client mover = call.party(moverRole);
		Role stayingRole = call.roleOf(staying);
		this.ringTimers.stop(call);
		mover.setCall(null);
		staying.setCall(reseated);
		target.setCall(reseated);
		this.ringTimers.start(reseated);
		if (this.journal.isRecording()) {
			// The same key when the caller stays: then the note of the call that goes on replaces this one.
			this.journal.callEnded(JournalledCall.of(call).key());
			journal(reseated);
		}

		String moverLeg = call.legId(moverRole);
		String left = call.otherNumber(moverRole);
		CallState moverHears = transition.heardBy(moverRole);
		outbox.tell(mover, (channel) -> channel.redirected(moverLeg, moverHears, left, how));
		String stayingLeg = reseated.legId(Role.CALLER);
		CallState stayingHears = transition.heardBy(stayingRole);
		outbox.tell(staying, (channel) -> channel.redirected(stayingLeg, stayingHears, number, how));
		// The target hears the state after as the callee of a dial does: as the incoming call. Its id is
		// read now: the message is sent later, and a dial back by the target may give it a new one first.
		String targetLeg = reseated.legId(Role.CALLEE);
		CallType type = reseated.type();
		outbox.tell(target, (channel) -> channel.incoming(targetLeg, staying.number(), type, staying.properties()));
		Duration sinceDial = Duration.ofNanos(System.nanoTime() - call.startedNanos());
		String lineName = staying.lineName();
		this.observers.forEach((observer) -> observer.callStateChanged(lineName, from, transition.to, sinceDial));
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
	 * A party puts its connected call on hold; both parties hear {@code HOLD}. Refused unless the call
	 * is {@code IN_CALL}.
	 */
	public void hold(Client client, String callId) {
		onCall(client, callId, false,
				(call, outbox) -> requestChange(call, CallEvent.PUT_ON_HOLD, call.roleOf(client), null, callId, outbox));
	}

	/**
	 * A party takes its held call off hold, whichever party held it; both parties hear {@code IN_CALL}.
	 * Refused unless the call is {@code HOLD}.
	 */
	public void unhold(Client client, String callId) {
		onCall(client, callId, false,
				(call, outbox) -> requestChange(call, CallEvent.TAKE_OFF_HOLD, call.roleOf(client), null, callId, outbox));
	}

	/**
	 * Relays a session description or ICE candidate to the other party of a connected call, held or
	 * not: holding and taking off hold may renegotiate.
	 */
	public void relay(Client from, String callId, MediaSignal signal) {
		onCall(from, callId, false, (call, outbox) -> {
			if (!call.state().isConnected() && !offersEarly(call, from)) {
				throw new Refusal(Refusal.Reason.NOT_NOW,
						"Media negotiation needs a connected call; this one is " + call.state(), callId);
			}
			Client to = call.otherParty(from);
			String toCallId = call.legIdOf(to);
			outbox.tell(to, (channel) -> channel.signal(toCallId, signal));
			this.observers.forEach((observer) -> observer.signalRelayed(from.lineName()));
		});
	}

	/**
	 * Whether {@code from} may negotiate media before the answer: the caller of a ringing call to a phone
	 * behind a gateway, which needs the offer to ring at all.
	 */
	private static boolean offersEarly(Call call, Client from) {
		return call.state() == CallState.RINGING && call.caller() == from && call.callee().isAtGateway();
	}

	/**
	 * A phone behind a gateway turned its ringing call down: the caller hears {@code outcome}, as the
	 * table's gateway rows say. Ignored when the call is over already.
	 */
	void refuseAtGateway(Client phone, String callId, CallState outcome, String reason) {
		CallEvent event = switch (outcome) {
			case BUSY -> CallEvent.REFUSE_BUSY;
			case NOT_FOUND -> CallEvent.REFUSE_NOT_FOUND;
			case REJECTED -> CallEvent.DECLINE;
			case NOT_ANSWERED -> CallEvent.GIVE_UP;
			default -> CallEvent.FAIL;
		};
		onCall(phone, callId, true, (call, outbox) -> requestChange(call, event, Role.CALLEE, reason, callId, outbox));
	}

	/**
	 * Passes a chat message or DTMF digits to the other party of a connected call, held or not, in
	 * order with everything else that party hears. Refused before the answer and after the end.
	 */
	public void tellParty(Client from, String callId, PartyMessage message) {
		onCall(from, callId, false, (call, outbox) -> {
			if (!call.state().isConnected()) {
				throw new Refusal(Refusal.Reason.NOT_NOW,
						"Messages and DTMF need a connected call; this one is " + call.state(), callId);
			}
			Client to = call.otherParty(from);
			String toCallId = call.legIdOf(to);
			outbox.tell(to, (channel) -> channel.fromParty(toCallId, message));
		});
	}

	/**
	 * Runs {@code action} on the client's call {@code callId} with the monitors of its parties held. A
	 * call forwarded or transferred meanwhile, with the client the party that stays, is followed to its
	 * new parties; the client knows it by the same id.
	 */
	private void onCall(Client client, String callId, boolean ignoreUnknown, CallAction action) {
		onCall(client, callId, ignoreUnknown, (call) -> client, action);
	}

	/**
	 * As {@link #onCall(Client, String, boolean, CallAction)}, holding the monitor of a third client
	 * too, which {@code third} picks for the call as it was read ({@code client} itself for none).
	 */
	private void onCall(Client client, String callId, boolean ignoreUnknown, Function<Call, Client> third,
			CallAction action) {
		while (true) {
			Call call;
			synchronized (client) {
				call = client.call();
			}
			Client other = (call != null) ? call.otherParty(client) : client;
			Client extra = (call != null) ? third.apply(call) : client;
			boolean[] reseated = new boolean[1];
			decide(client, List.of(client, other, extra), (outbox) -> {
				Call now = client.call();
				if (call != null && now == call && callId.equals(call.legIdOf(client))) {
					action.apply(call, outbox);
				}
				else if (call != null && now != null && now != call && now.sameConversation(call)) {
					reseated[0] = true;
				}
				else if (!ignoreUnknown) {
					throw new Refusal(Refusal.Reason.NO_SUCH_CALL, "This client has no call '" + callId + "'",
							callId);
				}
			});
			if (!reseated[0]) {
				return;
			}
		}
	}

	private void requestChange(Call call, CallEvent event, Role by, String reason, String callId, Outbox outbox) {
		try {
			change(call, event, by, reason, outbox);
		}
		catch (IllegalCallTransitionException ex) {
			throw new Refusal(Refusal.Reason.NOT_NOW, "The call is " + ex.state, callId);
		}
	}

	private void ringTimedOut(Call call) {
		decide(call.caller(), call.callee(), (outbox) -> {
			// A forward replaced the call by one that rings afresh: that one has a time-out of its own.
			if (call.state() == CallState.RINGING && call.caller().call() == call) {
				change(call, CallEvent.RING_TIMEOUT, null, "no answer", outbox);
			}
		});
	}

	/**
	 * Decides with the monitors of {@code a} and {@code b} held (the same client twice for one), and
	 * delivers what was decided once they are released. A refusal of {@code requester}'s request is
	 * posted to it like any other message, so that it too arrives in the order it was decided.
	 */
	private static void decide(Client requester, Client a, Client b, Consumer<Outbox> decision) {
		decide(requester, List.of(a, b), decision);
	}

	/** As {@link #decide(Client, Client, Client, Consumer)}, holding the monitors of all {@code clients}. */
	private static void decide(Client requester, List<Client> clients, Consumer<Outbox> decision) {
		Outbox outbox = new Outbox();
		lockAll(clients, () -> {
			try {
				decision.accept(outbox);
			}
			catch (Refusal refusal) {
				outbox.tell(requester, (channel) -> channel.refused(refusal));
			}
		});
		outbox.deliver();
	}

	private static void decide(Client a, Client b, Consumer<Outbox> decision) {
		Outbox outbox = new Outbox();
		lockAll(List.of(a, b), () -> decision.accept(outbox));
		outbox.deliver();
	}

	/** Applies an event to the call and tells both parties the outcome. */
	private void change(Call call, CallEvent event, Role by, String reason, Outbox outbox) {
		CallState from = call.state();
		CallTransition transition = call.apply(event, by);
		if (from == CallState.RINGING) {
			this.ringTimers.stop(call);
		}
		// A dial that never rang was never the parties' call (the callee may be in another one).
		if (transition.to.isFinal() && from != null) {
			call.caller().setCall(null);
			call.callee().setCall(null);
			if (this.journal.isRecording()) {
				this.journal.callEnded(JournalledCall.key(call.caller().lineName(), call.caller().number(),
						call.legId(Role.CALLER)));
			}
		}
		else if (!transition.to.isFinal()) {
			journal(call);
		}
		announce(call, transition, from, reason, outbox);
	}

	/**
	 * Notes a live call as it stands now, with its parties' monitors held. Not a call with a phone behind
	 * a gateway: its gateway session is this process's, and ends with it.
	 */
	private void journal(Call call) {
		if (this.journal.isRecording() && !call.caller().isAtGateway() && !call.callee().isAtGateway()) {
			this.journal.call(JournalledCall.of(call));
		}
	}

	/**
	 * Takes up a client that another process served (a cluster's earlier leader) as a client whose
	 * connection was lost: it keeps its seat and number, is not reachable and shows offline until it
	 * {@link #resumed resumes}, and numbers handed out from now on come after its own. Only for a line
	 * that has no client with this number; not for a running line's clients.
	 * @throws AccessDeniedException when there is no such line
	 */
	public Client restore(LineJournal.Session session, ClientChannel channel) {
		Line line = this.lines.get(session.line());
		if (line == null) {
			throw new AccessDeniedException("There is no webphone line '" + session.line() + "'");
		}
		line.reserveSeat();
		line.numberTaken(session.number());
		Client client = new Client(line, session.number(), session.properties(), channel);
		synchronized (client) {
			client.markEntered();
		}
		this.observers.forEach((observer) -> observer.clientJoined(line.name()));
		return client;
	}

	/**
	 * Takes up a call that another process served between two clients {@link #restore(LineJournal.Session,
	 * ClientChannel) restored} here, in the state it had there; a ringing call rings for a whole ring
	 * time-out from now. Nobody is told: each party learns its call when it resumes.
	 * @return whether the call was restored: not when either party is in another call already
	 */
	public boolean restore(JournalledCall recorded, Client caller, Client callee) {
		Call call = Call.restored(caller, callee, recorded);
		boolean[] restored = new boolean[1];
		lockAll(List.of(caller, callee), () -> {
			if (caller == callee || caller.call() != null || callee.call() != null || caller.isGone() || callee.isGone()) {
				return;
			}
			caller.setCall(call);
			callee.setCall(call);
			if (call.state() == CallState.RINGING) {
				this.ringTimers.start(call);
			}
			restored[0] = true;
		});
		if (restored[0]) {
			this.observers.forEach((observer) -> observer.callStateChanged(caller.lineName(), null, call.state(), Duration.ZERO));
		}
		return restored[0];
	}

	/** Tells each party what the transition's row says it hears. */
	private void announce(Call call, CallTransition transition, CallState from, String reason, Outbox outbox) {
		for (Role role : Role.values()) {
			Client party = call.party(role);
			CallState heard = transition.heardBy(role);
			// RINGING reaches the callee as the incoming call itself.
			if (party == null || party.isGone() || heard == null || (heard == CallState.RINGING && role == Role.CALLEE)) {
				continue;
			}
			String callId = call.legId(role);
			String otherNumber = call.otherNumber(role);
			// Only the answer sets up media; taking a call off hold keeps the roles it has. A call to a phone
			// behind a gateway sets it up as it starts to ring: the caller offers then, not again.
			boolean early = call.callee() != null && call.callee().isAtGateway();
			Boolean offerer = (early && heard == CallState.RINGING && role == Role.CALLER) ? Boolean.TRUE
					: (!early && heard == CallState.IN_CALL && from == CallState.RINGING) ? role == Role.CALLER : null;
			outbox.tell(party, (channel) -> channel.callState(callId, heard, otherNumber, reason, offerer));
		}
		Duration sinceDial = Duration.ofNanos(System.nanoTime() - call.startedNanos());
		String line = call.caller().lineName();
		this.observers.forEach((observer) -> observer.callStateChanged(line, from, transition.to, sinceDial));
	}

	/** How many calls are ringing, waiting for an answer or their ring timeout. */
	int ringingCount() {
		return this.ringTimers.ringingCount();
	}

	/**
	 * Runs {@code action} holding the monitors of all {@code clients} (a client named twice is locked
	 * once), always taken in ascending {@link Client#order}: any two decisions take the monitors they
	 * share in the same order, so none waits for another in a cycle.
	 */
	private static void lockAll(List<Client> clients, Runnable action) {
		List<Client> ordered = clients.stream()
			.distinct()
			.sorted(Comparator.comparingLong((Client client) -> client.order))
			.toList();
		lockFrom(ordered, 0, action);
	}

	private static void lockFrom(List<Client> ordered, int index, Runnable action) {
		if (index == ordered.size()) {
			action.run();
			return;
		}
		synchronized (ordered.get(index)) {
			lockFrom(ordered, index + 1, action);
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
