package dev.webphone.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.webphone.signaling.ErrorCode;
import dev.webphone.signaling.SignalingSession;
import dev.webphone.signaling.SignalingSessions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.stream.StreamListener;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamReadRequest;
import org.springframework.data.redis.stream.Subscription;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.socket.CloseStatus;

/**
 * At the leader: the signalling session of every browser of the cluster, fed from the leader's
 * stream. The leader runs the embedded line exactly as a single instance does; only its sockets are
 * remote. Its stream is read in one consumer group, so a new leader takes up where the last one
 * stopped reading, and one thread at a time, so each browser's frames are handled in the order they
 * arrived at its edge.
 */
final class LeaderSessions
		implements StreamListener<String, MapRecord<String, String, String>>, Leadership.Listener, DisposableBean {

	private static final Log logger = LogFactory.getLog(LeaderSessions.class);

	private static final int BACKLOG_READ = 1000;

	/** How the sessions of a browser whose instance is gone end: as a connection dropped without a close. */
	private static final CloseStatus EDGE_GONE = new CloseStatus(CloseStatus.NO_CLOSE_FRAME.getCode(),
			"the instance the browser was connected to is gone");

	private final SignalingSessions sessions;

	private final ClusterBus bus;

	private final StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;

	private final String instanceId;

	private final Map<String, Remote> remotes = new ConcurrentHashMap<>();

	private final ClusterEdge edge;

	private volatile Subscription subscription;

	private final RedisLineJournal journal;

	/** How many sessions this instance restored when it last began to lead. */
	private volatile int restored;

	/**
	 * Counts this instance's leaderships and step-downs, so a take-over knows when it is out of date;
	 * written by one thread at a time (the lease's, then the one that stops it).
	 */
	private volatile long leaderships;

	/** Restores the line and starts serving it when this instance begins to lead. */
	private final ExecutorService takeOvers = Executors
		.newSingleThreadExecutor(new CustomizableThreadFactory("cluster-take-over-"));

	private volatile Future<?> takeOver;

	LeaderSessions(SignalingSessions sessions, ClusterBus bus,
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> container, String instanceId,
			ClusterEdge edge, RedisLineJournal journal) {
		this.journal = journal;
		this.sessions = sessions;
		this.bus = bus;
		this.container = container;
		this.instanceId = instanceId;
		this.edge = edge;
	}

	/** How many browsers of the cluster this leader holds sessions for. */
	int sessionCount() {
		return this.remotes.size();
	}

	/** How many sessions this instance restored when it last began to lead. */
	int restoredCount() {
		return this.restored;
	}

	/**
	 * This instance now leads: it takes up the line's state as the last leader wrote it, each session
	 * as one whose connection was just lost, before it reads a frame of the browsers, who resume. Off
	 * the lease's thread, whose beats must go on renewing the lease however long a big line takes.
	 */
	@Override
	public void leading(long epoch) {
		long leadership = ++this.leaderships;
		this.journal.record(epoch);
		this.takeOver = this.takeOvers.submit(() -> takeOver(leadership));
	}

	private boolean stillLeading(long leadership) {
		return this.leaderships == leadership;
	}

	private void takeOver(long leadership) {
		long start = System.nanoTime();
		try {
			RedisLineJournal.Snapshot state = this.journal.read();
			int sessionCount = this.sessions.restore(state.sessions(), state.calls(), () -> stillLeading(leadership));
			this.restored = sessionCount;
			logger.info("Restored " + sessionCount + " session(s) and " + state.calls().size()
					+ " call(s) of the line in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
		}
		catch (Exception ex) {
			logger.warn("Could not read the line's state from Redis; serving without it: " + ex);
		}
		try {
			// From the start of the stream when the group is new: what edges sent before the first leader.
			this.bus.commands()
				.xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from(ClusterBus.LEADER_STREAM, "0"),
						ClusterBus.LEADER_GROUP, io.lettuce.core.XGroupCreateArgs.Builder.mkstream())
				.get();
		}
		catch (Exception ex) {
			if (!String.valueOf(ex.getMessage()).contains("BUSYGROUP")) {
				logger.warn("Could not create the leader's consumer group: " + ex);
			}
		}
		if (!stillLeading(leadership)) {
			return;
		}
		serveBacklog(leadership);
		if (!stillLeading(leadership)) {
			return;
		}
		StreamReadRequest<String> request = StreamReadRequest
			.builder(StreamOffset.create(ClusterBus.LEADER_STREAM, ReadOffset.lastConsumed()))
			.consumer(Consumer.from(ClusterBus.LEADER_GROUP, this.instanceId))
			.autoAcknowledge(true)
			.cancelOnError((failure) -> false)
			.errorHandler((failure) -> logger.debug("Reading the leader's stream failed", failure))
			.build();
		this.subscription = this.container.register(request, this);
	}

	@Override
	public void steppedDown() {
		this.leaderships++;
		// First, so that nothing of what follows reaches Redis: the line is the next leader's now.
		this.journal.stop();
		// A take-over under way stops at its next client; it has subscribed, or will not.
		Future<?> underWay = this.takeOver;
		if (underWay != null) {
			try {
				underWay.get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.warn("The take-over of the line did not end cleanly: " + ex);
			}
		}
		Subscription current = this.subscription;
		this.subscription = null;
		if (current != null) {
			this.container.remove(current);
		}
		// Their line state goes with the leadership: each browser is told to resume at the next leader
		// (its edge may not see the lease change hands, when this instance takes it again), and its
		// client here leaves as if its connection dropped.
		this.remotes.forEach((session, remote) -> remote.socket()
			.close(ClusterEdge.LEADER_CHANGED.getCode(), ClusterEdge.LEADER_CHANGED.getReason()));
		this.remotes.keySet().forEach((session) -> closed(session, CloseStatus.SERVICE_RESTARTED, false, false));
		// Not held here for a resume: they resume at the next leader, which restores them.
		this.sessions.forgetAll();
	}

	@Override
	public void destroy() {
		this.takeOvers.shutdownNow();
	}

	@Override
	public void leaderChanged(String previous, String current) {
		this.edge.leaderChanged(previous, current);
	}

	/**
	 * The browsers of an instance that stopped beating (killed, say, so it could not report their
	 * closes) have lost their connections: their sessions close as dropped, so each may resume
	 * through another instance within the grace period, and otherwise leaves.
	 */
	@Override
	public void stillLeading() {
		Set<String> edges = new HashSet<>();
		this.remotes.values().forEach((remote) -> edges.add(remote.edge()));
		for (String edge : edges) {
			Long alive;
			try {
				alive = this.bus.commands().exists(ClusterBus.aliveKey(edge)).get(1, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				// Redis is not answering: nothing can be concluded about the edge.
				return;
			}
			if (alive != null && alive == 0) {
				logger.warn("Instance " + edge + " is gone; its browsers' connections are treated as dropped");
				this.remotes.forEach((session, remote) -> {
					if (remote.edge().equals(edge)) {
						closed(session, EDGE_GONE, false, false);
					}
				});
			}
		}
	}

	@Override
	public void onMessage(MapRecord<String, String, String> record) {
		handle(record.getValue());
	}

	/**
	 * What the edges sent while nobody served: browsers that reconnected when the last leader went, and
	 * resumed. A connection that has closed since (a page gives up on a handshake after a few seconds
	 * and tries again) is not served at all: its resume would spend the secret for a connection nobody
	 * reads, and the page's next resume, with the same secret, would be refused.
	 */
	private void serveBacklog(long leadership) {
		List<Map<String, String>> backlog = new ArrayList<>();
		try {
			while (true) {
				List<StreamMessage<String, String>> read = this.bus.commands()
					.xreadgroup(io.lettuce.core.Consumer.from(ClusterBus.LEADER_GROUP, this.instanceId),
							XReadArgs.Builder.count(BACKLOG_READ).noack(true),
							XReadArgs.StreamOffset.lastConsumed(ClusterBus.LEADER_STREAM))
					.get(10, TimeUnit.SECONDS);
				read.forEach((message) -> backlog.add(message.getBody()));
				if (read.size() < BACKLOG_READ) {
					break;
				}
			}
		}
		catch (Exception ex) {
			logger.warn("Could not read what waited in the leader's stream: " + ex);
		}
		Set<String> closed = new HashSet<>();
		backlog.stream()
			.filter((message) -> EdgeMessage.CLOSED.equals(message.get(EdgeMessage.KIND)))
			.forEach((message) -> closed.add(message.get(EdgeMessage.SESSION)));
		int skipped = 0;
		for (Map<String, String> message : backlog) {
			if (!stillLeading(leadership)) {
				return;
			}
			if (closed.contains(message.get(EdgeMessage.SESSION))
					&& !EdgeMessage.CLOSED.equals(message.get(EdgeMessage.KIND))) {
				skipped++;
				continue;
			}
			handle(message);
		}
		if (!backlog.isEmpty()) {
			logger.info("Served " + (backlog.size() - skipped) + " message(s) that waited for a leader; skipped "
					+ skipped + " of " + closed.size() + " connection(s) closed meanwhile");
		}
	}

	private void handle(Map<String, String> message) {
		String session = message.get(EdgeMessage.SESSION);
		String kind = message.get(EdgeMessage.KIND);
		if (session == null || kind == null) {
			logger.warn("Ignored a message without session or kind on the leader's stream");
			return;
		}
		switch (kind) {
			case EdgeMessage.OPEN -> open(session, message.get(EdgeMessage.EDGE), message.get(EdgeMessage.ADDRESS));
			case EdgeMessage.TEXT -> {
				Remote remote = this.remotes.get(session);
				String data = message.get(EdgeMessage.DATA);
				if (remote == null) {
					unknown(session);
				}
				else if (data != null) {
					remote.session().receive(data);
				}
			}
			case EdgeMessage.BINARY -> {
				Remote remote = this.remotes.get(session);
				if (remote != null) {
					remote.session().refuse(ErrorCode.MALFORMED, "Binary frames are not part of the protocol; send JSON text");
				}
			}
			case EdgeMessage.CLOSED -> closed(session, closeStatus(message),
					Boolean.parseBoolean(message.get(EdgeMessage.FELL_BEHIND)),
					Boolean.parseBoolean(message.get(EdgeMessage.TIMED_OUT)));
			default -> logger.warn("Ignored a message of unknown kind '" + kind + "' on the leader's stream");
		}
	}

	/**
	 * A frame of a connection this leader never heard open: an earlier leader read the open and is
	 * gone, or the session ended here. The browser is told to connect again (its edge is the first
	 * part of the session's name) and resumes with its secret, which nobody has spent.
	 */
	private void unknown(String session) {
		int slash = session.lastIndexOf('/');
		if (slash <= 0) {
			return;
		}
		this.bus.append(ClusterBus.edgeStream(session.substring(0, slash)),
				Map.of(EdgeMessage.SESSION, session, EdgeMessage.KIND, EdgeMessage.CLOSE, EdgeMessage.CODE,
						Integer.toString(ClusterEdge.LEADER_CHANGED.getCode()), EdgeMessage.REASON,
						ClusterEdge.LEADER_CHANGED.getReason()),
				() -> logger.debug("Redis did not take the close of " + session));
	}

	private void open(String session, String edgeId, String address) {
		if (edgeId == null || this.remotes.containsKey(session)) {
			return;
		}
		RemoteBrowserSocket socket = new RemoteBrowserSocket(session, ClusterBus.edgeStream(edgeId),
				(address != null) ? address : "", this.bus,
				() -> closed(session, new CloseStatus(CloseStatus.NO_CLOSE_FRAME.getCode(), "cluster bus lost"), false,
						false));
		this.remotes.put(session, new Remote(edgeId, socket, this.sessions.open(socket)));
	}

	private void closed(String session, CloseStatus status, boolean fellBehind, boolean timedOut) {
		Remote remote = this.remotes.remove(session);
		if (remote != null) {
			remote.socket().ended(fellBehind, timedOut);
			remote.session().closed(status);
		}
	}

	private static CloseStatus closeStatus(Map<String, String> message) {
		try {
			int code = Integer.parseInt(message.getOrDefault(EdgeMessage.CODE, "1006"));
			return new CloseStatus(code, message.get(EdgeMessage.REASON));
		}
		catch (IllegalArgumentException ex) {
			return CloseStatus.NO_CLOSE_FRAME;
		}
	}

	private record Remote(String edge, RemoteBrowserSocket socket, SignalingSession session) {
	}

}
