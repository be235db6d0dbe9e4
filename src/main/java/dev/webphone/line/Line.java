package dev.webphone.line;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webphone line: the clients connected to it by number, the numbers it hands out, and who is
 * told about whom.
 *
 * <p>Presence runs on the line's own {@link SerialExecutor}, which alone owns the {@link Roster} of who
 * has been announced: a client that joins gets everyone announced before it and is announced to them,
 * in one order for all, without a lock on the message path.
 */
final class Line {

	private final LineProperties.Spec spec;

	private final Map<String, Client> clients = new ConcurrentHashMap<>();

	private final AtomicLong nextNumber;

	private final AtomicInteger seatsTaken = new AtomicInteger();

	/** Who is told about whom; {@code null} on a line without presence. */
	private final Roster roster;

	private final List<Route> dialPlan;

	/** Numbers only their extension's browser may have. */
	private final Set<String> extensionNumbers;

	/** A line whose presence changes are sent without a window, on {@code pool}. */
	Line(LineProperties.Spec spec, Executor pool) {
		this(spec, pool, null, new PresenceProperties(java.time.Duration.ZERO, 5000, 0, 0));
	}

	/**
	 * @param pool the threads presence runs on, shared by all lines
	 * @param timer what ends each line's presence window
	 */
	Line(LineProperties.Spec spec, Executor pool, ScheduledExecutorService timer, PresenceProperties presence) {
		this.spec = spec;
		this.nextNumber = new AtomicLong(spec.firstNumber());
		this.roster = spec.presence() ? new Roster(new SerialExecutor(pool), timer, presence) : null;
		this.dialPlan = spec.dialPlan().stream().map((rule) -> new Route(Pattern.compile(rule.match()), rule.to())).toList();
		this.extensionNumbers = Set.copyOf(spec.extensions().stream().map(LineProperties.Extension::number).toList());
	}

	String name() {
		return this.spec.name();
	}

	LineProperties.Spec spec() {
		return this.spec;
	}

	/**
	 * A number no client of this line has had since the server started, and no extension's.
	 */
	String allocateNumber() {
		String number;
		do {
			number = Long.toString(this.nextNumber.getAndIncrement());
		}
		while (this.extensionNumbers.contains(number));
		return number;
	}

	/**
	 * A client restored from a {@link LineJournal} holds {@code number}: numbers handed out from now on
	 * come after it, as they would have on the process that gave it.
	 */
	void numberTaken(String number) {
		try {
			long taken = Long.parseLong(number);
			this.nextNumber.accumulateAndGet(taken + 1, Math::max);
		}
		catch (NumberFormatException ex) {
			// Not one the line hands out (a token's, say): nothing to skip.
		}
	}

	/**
	 * Where a call to {@code dialled} goes: the default route for no number, else the first dial plan
	 * rule that matches the whole number, else the number itself.
	 * @return the number to ring, empty when it goes nowhere
	 */
	String route(String dialled) {
		if (dialled == null || dialled.isEmpty()) {
			return this.spec.defaultRoute();
		}
		for (Route route : this.dialPlan) {
			Matcher matcher = route.match().matcher(dialled);
			if (matcher.matches()) {
				return matcher.replaceFirst(route.to());
			}
		}
		return dialled;
	}

	private record Route(Pattern match, String to) {
	}

	/**
	 * Takes a seat for a joining client, unless the line is full.
	 * @return whether the client may join; if so, {@link #remove} or {@link #releaseSeat} gives the seat
	 * back
	 */
	boolean reserveSeat() {
		int taken = this.seatsTaken.incrementAndGet();
		if (this.spec.maxClients() > 0 && taken > this.spec.maxClients()) {
			this.seatsTaken.decrementAndGet();
			return false;
		}
		return true;
	}

	/** Gives back a seat whose client never got as far as {@link #add}. */
	void releaseSeat() {
		this.seatsTaken.decrementAndGet();
	}

	int clientCount() {
		return this.seatsTaken.get();
	}

	Client find(String number) {
		return this.clients.get(number);
	}

	/**
	 * Makes the client reachable by its number, unless another client has that number.
	 * @return whether the client is now reachable
	 */
	boolean add(Client client) {
		return this.clients.putIfAbsent(client.number(), client) == null;
	}

	/**
	 * Tells the client who is online and the others that it is; after it has been told its number.
	 */
	void announce(Client client) {
		if (this.roster != null) {
			this.roster.join(client);
		}
	}

	/**
	 * The client is to hear of these numbers even when the line is too big for everyone to hear of
	 * everyone; nothing on a line without presence.
	 */
	void watch(Client client, List<String> numbers) {
		if (this.roster != null) {
			this.roster.watch(client, numbers);
		}
	}

	/**
	 * Makes the client unreachable and announces it offline while its connection is lost, keeping its
	 * seat; {@link #add} and {@link #announce} bring it back, {@link #remove} lets it go.
	 */
	void hide(Client client) {
		this.clients.remove(client.number(), client);
		if (this.roster != null) {
			this.roster.leave(client);
		}
	}

	/**
	 * Makes the client unreachable, gives back its seat and announces that it has gone; once per
	 * client that took a seat, whether or not it was ever added.
	 */
	void remove(Client client) {
		this.clients.remove(client.number(), client);
		this.seatsTaken.decrementAndGet();
		if (this.roster != null) {
			this.roster.leave(client);
		}
	}

}
