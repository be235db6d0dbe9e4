package dev.webphone.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.webphone.ice.IceServer;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.Client;
import dev.webphone.line.ClientChannel;
import dev.webphone.line.MediaSignal;
import dev.webphone.line.PartyMessage;
import dev.webphone.line.PresenceFrame;
import dev.webphone.line.Redirect;
import dev.webphone.line.Refusal;
import dev.webphone.line.Resumed;

/**
 * A joined client as its connections come and go: the {@link ClientChannel} the line knows it by,
 * which forwards to whichever {@link SignalingSession} holds the client at the moment, and holds the
 * line's messages while none does.
 *
 * <p>Its life is one state machine ({@link #next}); every change happens under its monitor, which
 * also orders the messages it forwards, so a connection that takes the client over gets the held
 * messages first and everything after them in order.
 */
final class ResumableClient implements ClientChannel {

	/** How many messages wait for a client without a connection before it is given up. */
	static final int HELD_MESSAGE_LIMIT = 1000;

	/** Where a client stands. */
	enum State {

		/** A connection holds the client; messages go straight to it. Next: DETACHED, ENDED. */
		ATTACHED,

		/**
		 * The connection was lost; the number is kept and messages are held for a resume. Next:
		 * ATTACHED (resumed), ENDED (expired or overflowed).
		 */
		DETACHED,

		/** The client has left its line; final. */
		ENDED

	}

	/** What can happen to a client's connection. */
	enum Event {

		/** A connection proved the secret and takes the client (over). */
		RESUME,

		/** The connection was lost without a goodbye. */
		DROP,

		/** The page said goodbye. */
		LEAVE,

		/** The grace period passed, or too many messages were held. */
		EXPIRE

	}

	/**
	 * The transition table.
	 * @throws IllegalStateException for a move the table does not have
	 */
	static State next(State from, Event event) {
		return switch (from) {
			case ATTACHED -> switch (event) {
				case RESUME -> State.ATTACHED;
				case DROP -> State.DETACHED;
				case LEAVE -> State.ENDED;
				case EXPIRE -> throw illegal(from, event);
			};
			case DETACHED -> switch (event) {
				case RESUME -> State.ATTACHED;
				case EXPIRE -> State.ENDED;
				case DROP, LEAVE -> throw illegal(from, event);
			};
			case ENDED -> throw illegal(from, event);
		};
	}

	private static IllegalStateException illegal(State from, Event event) {
		return new IllegalStateException("A client that is " + from + " cannot " + event);
	}

	private final long graceMillis;

	private volatile Client client;

	/** The connection holding the client; {@code null} unless ATTACHED. Guarded by this. */
	private SignalingSession session;

	private State state = State.ATTACHED;

	/** Changes with every transition, so a timer set for an earlier one does nothing. Guarded by this. */
	private long generation;

	private String secret;

	private final List<Consumer<SignalingSession>> held = new ArrayList<>();

	/** The timers of the current detachment, cancelled by a resume. Guarded by this. */
	private final List<Future<?>> timers = new ArrayList<>(2);

	private final Runnable overflowed;

	ResumableClient(SignalingSession session, String secret, long graceMillis, Runnable overflowed) {
		this.session = session;
		this.secret = secret;
		this.graceMillis = graceMillis;
		this.overflowed = overflowed;
	}

	/**
	 * A client another process served, taken up here as one whose connection was lost: DETACHED, its
	 * secret known only by its hash, which stands in as the secret until a resume replaces it.
	 */
	static ResumableClient restored(String secretStandIn, long graceMillis, Runnable overflowed) {
		ResumableClient restored = new ResumableClient(null, secretStandIn, graceMillis, overflowed);
		restored.state = State.DETACHED;
		restored.generation = 1;
		return restored;
	}

	void bind(Client client) {
		this.client = client;
	}

	Client client() {
		return this.client;
	}

	synchronized String secret() {
		return this.secret;
	}

	synchronized State state() {
		return this.state;
	}

	/** The connection holding the client, or {@code null} while it is detached. */
	synchronized SignalingSession holder() {
		return this.session;
	}

	synchronized boolean isHeldBy(SignalingSession candidate) {
		return this.state == State.ATTACHED && this.session == candidate;
	}

	/**
	 * {@code from} lost its connection; when it still held the client, the client waits detached.
	 * @return the generation of the detachment, or -1 when {@code from} no longer held the client
	 */
	synchronized long drop(SignalingSession from) {
		if (!isHeldBy(from)) {
			return -1;
		}
		move(Event.DROP);
		this.session = null;
		return this.generation;
	}

	/** The page behind {@code from} said goodbye. @return whether the client has left because of it */
	synchronized boolean leave(SignalingSession from) {
		if (!isHeldBy(from)) {
			return false;
		}
		move(Event.LEAVE);
		this.session = null;
		return true;
	}

	/**
	 * {@code to} takes the client; the messages held meanwhile go to it first.
	 * @return the connection that held the client until now (to be closed), {@code to} itself when none
	 * did, or {@code null} when the client has already ended: then nothing changed
	 */
	synchronized SignalingSession resume(SignalingSession to, String newSecret) {
		if (this.state == State.ENDED) {
			return null;
		}
		SignalingSession previous = (this.session != null) ? this.session : to;
		move(Event.RESUME);
		this.timers.forEach((timer) -> timer.cancel(false));
		this.timers.clear();
		this.session = to;
		this.secret = newSecret;
		this.held.forEach((message) -> message.accept(to));
		this.held.clear();
		return previous;
	}

	/** Ends a detachment of generation {@code detached}, unless it has ended already. @return whether it did */
	synchronized boolean expire(long detached) {
		if (this.state != State.DETACHED || this.generation != detached) {
			return false;
		}
		move(Event.EXPIRE);
		this.held.clear();
		this.timers.clear();
		return true;
	}

	/** Runs {@code action} if the detachment of generation {@code detached} still lasts, with no resume in between. */
	synchronized void whileDetached(long detached, Runnable action) {
		if (this.state == State.DETACHED && this.generation == detached) {
			action.run();
		}
	}

	/** Keeps a timer of the detachment of generation {@code detached}, so that a resume cancels it. */
	synchronized void addTimer(long detached, Future<?> timer) {
		if (this.generation == detached) {
			this.timers.add(timer);
		}
		else {
			timer.cancel(false);
		}
	}

	synchronized long generation() {
		return this.generation;
	}

	private void move(Event event) {
		this.state = next(this.state, event);
		this.generation++;
	}

	@Override
	public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		String secret = secret();
		deliver((to) -> to.granted(line, phoneNumber, iceServers, secret, this.graceMillis), true);
	}

	@Override
	public void resumed(Resumed resumed) {
		String secret = secret();
		deliver((to) -> to.resumed(this.client, resumed, secret, this.graceMillis), true);
	}

	/**
	 * Not held: a resumed client is announced again, and then gets the list of everyone online, which
	 * replaces whatever it missed.
	 */
	@Override
	public void presence(PresenceFrame frame) {
		deliver((to) -> to.presence(frame), false);
	}

	@Override
	public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		deliver((to) -> to.incoming(callId, from, callType, properties), true);
	}

	@Override
	public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
		deliver((to) -> to.callState(callId, state, otherParty, reason, offerer), true);
	}

	@Override
	public void redirected(String callId, CallState state, String otherParty, Redirect how) {
		deliver((to) -> to.redirected(callId, state, otherParty, how), true);
	}

	/** Negotiation is not held: an ICE restart after the resume replaces whatever was said meanwhile. */
	@Override
	public void signal(String callId, MediaSignal signal) {
		deliver((to) -> to.signal(callId, signal), false);
	}

	/**
	 * Held: what the other party typed or keyed while the connection was down is part of the
	 * conversation, and a resume must not lose it.
	 */
	@Override
	public void fromParty(String callId, PartyMessage message) {
		deliver((to) -> to.fromParty(callId, message), true);
	}

	/** Not held: a resumed client learns from its own view whether to restart ICE. */
	@Override
	public void restartIce(String callId) {
		deliver((to) -> to.restartIce(callId), false);
	}

	@Override
	public void refused(Refusal refusal) {
		deliver((to) -> to.refused(refusal), false);
	}

	/** Where the connection holding the client comes from; empty while none does. */
	@Override
	public String remoteAddress() {
		SignalingSession holder = holder();
		return (holder != null) ? holder.remoteAddress() : "";
	}

	private void deliver(Consumer<SignalingSession> message, boolean holdWhileDetached) {
		boolean overflow = false;
		synchronized (this) {
			if (this.state == State.ATTACHED) {
				message.accept(this.session);
			}
			else if (this.state == State.DETACHED && holdWhileDetached) {
				this.held.add(message);
				overflow = this.held.size() > HELD_MESSAGE_LIMIT;
			}
		}
		if (overflow) {
			this.overflowed.run();
		}
	}

	@Override
	public String toString() {
		return String.valueOf(this.client);
	}

}
