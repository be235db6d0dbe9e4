package dev.webphone.line;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.line.ClientChannel.Presence;

/**
 * A webphone line: the clients connected to it by number, the numbers it hands out, and who is
 * told about whom.
 *
 * <p>Presence runs on the line's own {@link SerialExecutor}, which alone owns the roster of who has
 * been announced: a client that joins gets everyone announced before it and is announced to them, in
 * one order for all, without a lock on the message path.
 */
final class Line {

	private final LineProperties.Spec spec;

	private final Map<String, Client> clients = new ConcurrentHashMap<>();

	private final AtomicLong nextNumber;

	private final AtomicInteger seatsTaken = new AtomicInteger();

	private final SerialExecutor presence;

	/** Who has been announced ONLINE; touched only by {@link #presence}. */
	private final Map<String, Client> announced = new LinkedHashMap<>();

	Line(LineProperties.Spec spec, Executor pool) {
		this.spec = spec;
		this.nextNumber = new AtomicLong(spec.firstNumber());
		this.presence = new SerialExecutor(pool);
	}

	String name() {
		return this.spec.name();
	}

	LineProperties.Spec spec() {
		return this.spec;
	}

	/**
	 * A number no client of this line has had since the server started.
	 */
	String allocateNumber() {
		return Long.toString(this.nextNumber.getAndIncrement());
	}

	/**
	 * Takes a seat for a joining client, unless the line is full.
	 * @return whether the client may join; if so, {@link #remove} gives the seat back
	 */
	boolean reserveSeat() {
		int taken = this.seatsTaken.incrementAndGet();
		if (this.spec.maxClients() > 0 && taken > this.spec.maxClients()) {
			this.seatsTaken.decrementAndGet();
			return false;
		}
		return true;
	}

	int clientCount() {
		return this.seatsTaken.get();
	}

	Client find(String number) {
		return this.clients.get(number);
	}


	/**
	 * Makes the client reachable by its number.
	 */
	void add(Client client) {
		this.clients.put(client.number(), client);
	}

	/**
	 * Tells the client who is online and the others that it is; after it has been told its number.
	 */
	void announce(Client client) {
		if (this.spec.presence()) {
			this.presence.execute(() -> introduce(client));
		}
	}

	/**
	 * Makes the client unreachable and announces it offline while its connection is lost, keeping its
	 * seat; {@link #add} and {@link #announce} bring it back, {@link #remove} lets it go.
	 */
	void hide(Client client) {
		this.clients.remove(client.number(), client);
		if (this.spec.presence()) {
			this.presence.execute(() -> withdraw(client));
		}
	}

	/**
	 * Makes the client unreachable and announces that it has gone.
	 */
	void remove(Client client) {
		this.clients.remove(client.number(), client);
		this.seatsTaken.decrementAndGet();
		if (this.spec.presence()) {
			this.presence.execute(() -> withdraw(client));
		}
	}

	private void introduce(Client joining) {
		for (Client other : this.announced.values()) {
			joining.channel().clientState(other.number(), Presence.ONLINE, other.properties());
			other.channel().clientState(joining.number(), Presence.ONLINE, joining.properties());
		}
		this.announced.put(joining.number(), joining);
	}

	private void withdraw(Client leaving) {
		if (this.announced.remove(leaving.number()) != null) {
			for (Client other : this.announced.values()) {
				other.channel().clientState(leaving.number(), Presence.OFFLINE, leaving.properties());
			}
		}
	}

}
