package dev.webphone.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.edge.EdgeSocket;
import dev.webphone.edge.WebSocketEdge;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.stream.StreamListener;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * This instance's edge in a cluster: browsers connect here, their frames go to the leader's stream,
 * and what the leader sends them arrives on this instance's own stream and is written to them. The
 * edge keeps what is local to a connection (pings, idle time-out, send limits); it knows nothing of
 * the protocol.
 */
final class ClusterEdge extends AbstractWebSocketHandler
		implements StreamListener<String, MapRecord<String, String, String>>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ClusterEdge.class);

	private static final String SESSION = ClusterEdge.class.getName() + ".session";

	/** Browsers whose sessions were at a leader that is gone are told to come back. */
	static final CloseStatus LEADER_CHANGED = new CloseStatus(1012, "the line's leading instance changed");

	/**
	 * This instance is stopping: its browsers are told so (status 1012, "service restart"), and their
	 * sessions wait at the leader for them to come back through another instance, as after any dropped
	 * connection.
	 */
	static final CloseStatus STOPPING = new CloseStatus(1012, "this instance is stopping; connect again");

	/** Redis did not take a browser's frame: it cannot be served until Redis is back. */
	static final CloseStatus BUS_UNAVAILABLE = new CloseStatus(1013, "the cluster's message bus is unavailable");

	private final ClusterBus bus;

	private final String instanceId;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, EdgeSocket> sockets = new ConcurrentHashMap<>();

	/**
	 * The sessions a leader has answered: their state is at that leader, so a change of leader ends
	 * them. A connection opened since the last leader went, whose frames wait in the leader's stream
	 * for the next one, is not among them and is kept.
	 */
	private final Set<String> answered = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	ClusterEdge(ClusterBus bus, String instanceId) {
		this.bus = bus;
		this.instanceId = instanceId;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession connection) {
		String session = this.instanceId + "/" + this.sequence.incrementAndGet();
		EdgeSocket socket = WebSocketEdge.socket(connection);
		connection.getAttributes().put(SESSION, session);
		this.sockets.put(session, socket);
		toLeader(session, socket, Map.of(EdgeMessage.SESSION, session, EdgeMessage.KIND, EdgeMessage.OPEN,
				EdgeMessage.EDGE, this.instanceId, EdgeMessage.ADDRESS, socket.remoteAddress()));
	}

	@Override
	protected void handleTextMessage(WebSocketSession connection, TextMessage message) {
		String session = (String) connection.getAttributes().get(SESSION);
		toLeader(session, this.sockets.get(session), Map.of(EdgeMessage.SESSION, session, EdgeMessage.KIND,
				EdgeMessage.TEXT, EdgeMessage.DATA, message.getPayload()));
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession connection, BinaryMessage message) {
		String session = (String) connection.getAttributes().get(SESSION);
		toLeader(session, this.sockets.get(session),
				Map.of(EdgeMessage.SESSION, session, EdgeMessage.KIND, EdgeMessage.BINARY));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession connection, CloseStatus status) {
		String session = (String) connection.getAttributes().get(SESSION);
		EdgeSocket socket = this.sockets.remove(session);
		if (socket == null) {
			return;
		}
		this.answered.remove(session);
		this.bus.append(ClusterBus.LEADER_STREAM,
				Map.of(EdgeMessage.SESSION, session, EdgeMessage.KIND, EdgeMessage.CLOSED, EdgeMessage.CODE,
						Integer.toString(status.getCode()), EdgeMessage.REASON,
						(status.getReason() != null) ? status.getReason() : "", EdgeMessage.FELL_BEHIND,
						Boolean.toString(socket.fellBehind()), EdgeMessage.TIMED_OUT, Boolean.toString(socket.timedOut())),
				() -> logger.debug("Redis did not take the close of " + session));
	}

	private void toLeader(String session, EdgeSocket socket, Map<String, String> message) {
		if (socket == null) {
			return;
		}
		this.bus.append(ClusterBus.LEADER_STREAM, message,
				() -> socket.close(BUS_UNAVAILABLE.getCode(), BUS_UNAVAILABLE.getReason()));
	}

	/** What the leader sends this edge's browsers. */
	@Override
	public void onMessage(MapRecord<String, String, String> record) {
		Map<String, String> message = record.getValue();
		String session = String.valueOf(message.get(EdgeMessage.SESSION));
		EdgeSocket socket = this.sockets.get(session);
		String kind = message.get(EdgeMessage.KIND);
		if (socket == null || kind == null) {
			// Its browser is gone already.
			return;
		}
		if (!this.answered.contains(session)) {
			this.answered.add(session);
		}
		String data = message.get(EdgeMessage.DATA);
		switch (kind) {
			case EdgeMessage.TEXT -> {
				if (data != null) {
					socket.sendText(data);
				}
			}
			case EdgeMessage.UNCOUNTED_TEXT -> {
				if (data != null) {
					socket.sendShared(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)), false);
				}
			}
			case EdgeMessage.CLOSE -> socket.close(code(message.get(EdgeMessage.CODE)), message.get(EdgeMessage.REASON));
			default -> logger.warn("Ignored a message of unknown kind '" + kind + "' on this edge's stream");
		}
	}

	/**
	 * The leader is gone or changed: the sessions of the browsers it answered were at the old one. Each
	 * is told to connect again, and resumes with its secret at the next leader, which restores it.
	 * Connections no leader has answered yet (a browser that reconnected as soon as its instance died,
	 * say) are kept: their frames wait in the leader's stream for the next leader.
	 */
	void leaderChanged(String previous, String current) {
		List<String> ended = List.copyOf(this.answered);
		logger.warn(((current != null) ? "The cluster's leader changed from " + previous + " to " + current
				: "The cluster's leader " + previous + " is gone") + "; closing " + ended.size()
				+ " browser connection(s) so they resume");
		for (String session : ended) {
			this.answered.remove(session);
			EdgeSocket socket = this.sockets.get(session);
			if (socket != null) {
				socket.close(LEADER_CHANGED.getCode(), LEADER_CHANGED.getReason());
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.sockets.values().forEach((socket) -> socket.close(STOPPING.getCode(), STOPPING.getReason()));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** How many browsers are connected to this instance. */
	int browserCount() {
		return this.sockets.size();
	}

	private static int code(String code) {
		try {
			int value = Integer.parseInt(code);
			return (value >= 1000 && value <= 4999) ? value : 1011;
		}
		catch (NumberFormatException ex) {
			return 1011;
		}
	}

}
