package dev.webphone.line;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.webphone.line.ClientChannel.Presence;
import dev.webphone.line.PresenceFrame.Announcement;
import dev.webphone.line.PresenceFrame.Mode;

/**
 * Who of a line with presence has been told about whom, and the telling.
 *
 * <p>Everything here runs on the line's own {@link SerialExecutor}, which alone touches this state:
 * no lock, and one order of events for all clients. Changes are gathered for a short window and then
 * sent as one {@link PresenceFrame} that every client already told gets, the same object for all,
 * encoded once; the clients that joined in that window get one frame listing everyone online instead
 * (also one object for all of them). So a burst of joins costs each client one message per window, not
 * one per join, and a client that joins and leaves within a window costs nobody anything.
 *
 * <p>Sending to thousands of clients is cut into tasks of {@link #SEND_CHUNK} clients, so that the
 * shared pool's turns stay short and other lines are served in between.
 *
 * <p>Above {@link PresenceProperties#fullLimit()} clients online the line tells each client only about
 * the numbers it watches ({@link Mode#WATCHED}): full presence costs every join a message to every
 * client, which at that size is more than the clients can read.
 */
final class Roster {

	static final int SEND_CHUNK = 256;

	static final int MAX_WATCHED = 100;

	private final Executor executor;

	private final ScheduledExecutorService timer;

	private final Duration window;

	private final int fullLimit;

	/** Clients that have been told who is online, by number. */
	private final Map<String, Client> members = new LinkedHashMap<>();

	/** The ONLINE announcement of every member. */
	private final Map<String, Announcement> online = new LinkedHashMap<>();

	/** Clients that joined since the last flush; they get the roster instead of the changes. */
	private final Map<String, Client> joiners = new LinkedHashMap<>();

	/** Changes since the last flush, at most one per number. */
	private final Map<String, Announcement> changes = new LinkedHashMap<>();

	private final Map<String, Set<Client>> watchers = new HashMap<>();

	private final Map<Client, Set<String>> watched = new HashMap<>();

	private Mode mode = Mode.FULL;

	private boolean flushScheduled;

	Roster(Executor executor, ScheduledExecutorService timer, PresenceProperties settings) {
		this.executor = executor;
		this.timer = timer;
		this.window = settings.window();
		this.fullLimit = settings.fullLimit();
	}

	/** The client is to be told who is online and announced to the others; after it knows its number. */
	void join(Client client) {
		this.executor.execute(() -> {
			this.joiners.put(client.number(), client);
			this.changes.put(client.number(), new Announcement(client.number(), Presence.ONLINE, client.properties()));
			scheduleFlush();
		});
	}

	/** The client has gone: the others are told, unless they never heard of it. */
	void leave(Client client) {
		this.executor.execute(() -> {
			unwatch(client);
			if (this.joiners.remove(client.number(), client)) {
				this.changes.remove(client.number());
				return;
			}
			if (this.members.remove(client.number(), client)) {
				this.changes.put(client.number(),
						new Announcement(client.number(), Presence.OFFLINE, client.properties()));
				scheduleFlush();
			}
		});
	}

	/**
	 * From now on the client is told of changes to these numbers (replacing what it watched before),
	 * whatever the line's mode, and is told their state now.
	 */
	void watch(Client client, List<String> numbers) {
		this.executor.execute(() -> {
			if (this.members.get(client.number()) != client && this.joiners.get(client.number()) != client) {
				return;
			}
			unwatch(client);
			Set<String> wanted = new LinkedHashSet<>(numbers.subList(0, Math.min(numbers.size(), MAX_WATCHED)));
			List<Announcement> now = new ArrayList<>(wanted.size());
			for (String number : wanted) {
				this.watchers.computeIfAbsent(number, (n) -> new LinkedHashSet<>()).add(client);
				Announcement current = this.online.get(number);
				now.add((current != null) ? current : new Announcement(number, Presence.OFFLINE, Map.of()));
			}
			if (!wanted.isEmpty()) {
				this.watched.put(client, wanted);
			}
			client.tell((channel) -> channel.presence(new PresenceFrame(null, now)));
		});
	}

	private void unwatch(Client client) {
		Set<String> numbers = this.watched.remove(client);
		if (numbers == null) {
			return;
		}
		for (String number : numbers) {
			Set<Client> of = this.watchers.get(number);
			of.remove(client);
			if (of.isEmpty()) {
				this.watchers.remove(number);
			}
		}
	}

	private void scheduleFlush() {
		if (this.flushScheduled) {
			return;
		}
		this.flushScheduled = true;
		if (this.window.isZero()) {
			this.executor.execute(this::flush);
		}
		else {
			this.timer.schedule(() -> this.executor.execute(this::flush), this.window.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void flush() {
		this.flushScheduled = false;
		List<Announcement> batch = new ArrayList<>(this.changes.values());
		this.changes.clear();
		List<Client> told = new ArrayList<>(this.members.values());
		for (Announcement change : batch) {
			if (change.status() == Presence.ONLINE) {
				this.online.put(change.phoneNumber(), change);
			}
			else {
				this.online.remove(change.phoneNumber());
			}
		}
		List<Client> newcomers = new ArrayList<>(this.joiners.values());
		this.joiners.clear();
		newcomers.forEach((client) -> this.members.put(client.number(), client));

		Mode next = nextMode();
		boolean switched = next != this.mode;
		this.mode = next;
		if (this.mode == Mode.FULL) {
			if (switched) {
				// The members missed changes while the line was too big: they get everything again.
				told.addAll(newcomers);
				newcomers = told;
			}
			else if (!batch.isEmpty()) {
				sendTo(told, new PresenceFrame(null, batch));
			}
		}
		else {
			if (switched) {
				sendTo(told, new PresenceFrame(Mode.WATCHED, List.of()));
			}
			for (Announcement change : batch) {
				Set<Client> watching = this.watchers.get(change.phoneNumber());
				if (watching != null) {
					sendTo(new ArrayList<>(watching), new PresenceFrame(null, List.of(change)));
				}
			}
		}
		if (!newcomers.isEmpty()) {
			sendTo(newcomers, (this.mode == Mode.FULL) ? new PresenceFrame(Mode.FULL, new ArrayList<>(this.online.values()))
					: new PresenceFrame(Mode.WATCHED, List.of()));
		}
	}

	private Mode nextMode() {
		int size = this.online.size();
		if (this.mode == Mode.FULL) {
			return (size > this.fullLimit) ? Mode.WATCHED : Mode.FULL;
		}
		return (size <= this.fullLimit * 9L / 10) ? Mode.FULL : Mode.WATCHED;
	}

	private void sendTo(List<Client> clients, PresenceFrame frame) {
		for (int from = 0; from < clients.size(); from += SEND_CHUNK) {
			List<Client> chunk = clients.subList(from, Math.min(clients.size(), from + SEND_CHUNK));
			this.executor.execute(() -> chunk.forEach((client) -> client.tell((channel) -> channel.presence(frame))));
		}
	}

	/** How many clients have been told who is online; for tests. */
	int memberCount() {
		return this.members.size();
	}

}
