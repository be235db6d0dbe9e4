package dev.webphone.relay;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

import dev.webphone.edge.EdgeSocket;
import dev.webphone.edge.WebSocketEdge;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One browser's signalling connection and its own connection to the upstream phone system, joined:
 * every frame from one side goes to the other unchanged and in order, and when either side ends the
 * other is closed too.
 *
 * <p>The browser may send (its {@code connect}, typically) before the upstream connection is open;
 * up to {@code maxPendingFrames} such frames wait and go first once it opens. What waits so counts
 * against the {@link UpstreamBacklog} all browsers share (a phone system that accepts connections and
 * never answers would otherwise hold every browser's allowance at once); a frame that does not fit ends
 * this relay. After that, sends are asynchronous, through the {@link EdgeSocket}s of both sides, which
 * count what is unsent against each connection's limit and the server-wide budget: a side that falls too
 * far behind is cut and ends the relay rather than letting memory grow.
 *
 * <p>This object is the listener of the upstream connection; the browser side is fed by
 * {@link RelayHandler}. State changes happen under this object's monitor; the sends made under it
 * only queue frames, they never wait for the network.
 *
 * <p>Public only because Jetty looks up the listener methods reflectively; nothing outside this package
 * creates or calls one.
 */
public final class RelayedConnection implements Session.Listener.AutoDemanding {

	private static final Log logger = LogFactory.getLog(RelayedConnection.class);

	private enum State {

		/** The upstream connection is being opened; the browser's frames wait in {@code pending}. */
		CONNECTING,

		/** Both connections are open; frames go straight through. */
		OPEN,

		/** One side ended and the other was closed; nothing more is passed on. */
		CLOSED

	}

	private final String id;

	private final EdgeSocket browser;

	private final int maxPendingFrames;

	private final WebSocketEdge edge;

	private final UpstreamBacklog backlog;

	private final Deque<Frame> pending = new ArrayDeque<>();

	private State state = State.CONNECTING;

	private volatile EdgeSocket upstream;

	private CompletableFuture<Session> connecting;

	RelayedConnection(String id, EdgeSocket browser, int maxPendingFrames, WebSocketEdge edge,
			UpstreamBacklog backlog) {
		this.id = id;
		this.browser = browser;
		this.maxPendingFrames = maxPendingFrames;
		this.edge = edge;
		this.backlog = backlog;
	}

	/** The upstream connection attempt, so that a browser leaving early can abandon it. */
	synchronized void connecting(CompletableFuture<Session> attempt) {
		this.connecting = attempt;
		if (this.state == State.CLOSED) {
			attempt.cancel(false);
		}
	}

	/** A frame from the browser, for the upstream. */
	synchronized void fromBrowser(Frame frame) {
		switch (this.state) {
			case CONNECTING -> {
				if (this.pending.size() >= this.maxPendingFrames) {
					end(StatusCode.TRY_AGAIN_LATER, "too many messages before the phone system answered", null);
				}
				else if (!this.backlog.reserve(frame.size())) {
					logger.debug("Relay " + this.id + ": the backlog for the phone system is full ("
							+ this.backlog.limit() + " bytes)");
					end(StatusCode.TRY_AGAIN_LATER, "relay busy: too much waiting for the phone system", null);
				}
				else {
					this.pending.add(frame);
				}
			}
			case OPEN -> forward(frame, this.upstream);
			case CLOSED -> {
				// late frame from a browser whose relay already ended
			}
		}
	}

	/**
	 * The browser's connection closed, whoever closed it: the upstream connection goes too, closed so
	 * that the phone system judges it as it would the browser's own close (a page that said goodbye, went
	 * away, fell silent or was dropped; see its resume rules).
	 */
	synchronized void browserClosed(int code, String reason) {
		if (this.browser.timedOut()) {
			end(StatusCode.SHUTDOWN, "idle timeout", this.browser);
		}
		else if (this.browser.fellBehind()) {
			// Let go as if it had said goodbye: what it missed cannot be held for it.
			end(StatusCode.NORMAL, "browser too far behind", this.browser);
		}
		else if (StatusCode.isTransmittable(code)) {
			end(code, (reason != null && !reason.isEmpty()) ? reason : "browser gone", this.browser);
		}
		else {
			// Dropped without a close frame: the phone system hears of an abnormal end too.
			end(StatusCode.SERVER_ERROR, "browser connection lost", this.browser);
		}
	}

	/** The upstream could not be reached in time (or refused the upgrade). */
	void upstreamUnreachable(Throwable failure) {
		logger.debug("Relay " + this.id + ": phone system unreachable", failure);
		synchronized (this) {
			end(StatusCode.INVALID_UPSTREAM_RESPONSE, "phone system unreachable", null);
		}
	}


	@Override
	public void onWebSocketOpen(Session session) {
		synchronized (this) {
			if (this.state == State.CLOSED) {
				session.close(StatusCode.SHUTDOWN, "browser gone", Callback.NOOP);
				return;
			}
			this.upstream = this.edge.outbound(session);
			this.state = State.OPEN;
			while (!this.pending.isEmpty() && this.state == State.OPEN) {
				Frame frame = this.pending.poll();
				// From here on the upstream's edge socket counts it.
				this.backlog.release(frame.size());
				forward(frame, this.upstream);
			}
		}
	}

	@Override
	public void onWebSocketText(String text) {
		heardFromUpstream();
		forward(new Frame.Text(text), this.browser);
	}

	@Override
	public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
		heardFromUpstream();
		forward(Frame.Binary.copyOf(payload), this.browser);
		callback.succeed();
	}

	@Override
	public void onWebSocketPong(ByteBuffer payload) {
		heardFromUpstream();
	}

	@Override
	public void onWebSocketPing(ByteBuffer payload) {
		// Jetty answers it; that the phone system pings us shows it is there as well as a pong does.
		heardFromUpstream();
	}

	@Override
	public void onWebSocketClose(int code, String reason) {
		this.edge.closed(upstreamSocket());
		synchronized (this) {
			if (StatusCode.isTransmittable(code)) {
				// The phone system's own reason (going away, access denied, ...) is the browser's.
				end(code, (reason != null) ? reason : "", this.upstream);
			}
			else {
				end(StatusCode.INVALID_UPSTREAM_RESPONSE, "phone system connection lost", this.upstream);
			}
		}
	}

	@Override
	public void onWebSocketError(Throwable cause) {
		logger.debug("Relay " + this.id + ": upstream connection failed", cause);
		this.edge.closed(upstreamSocket());
		synchronized (this) {
			end(StatusCode.INVALID_UPSTREAM_RESPONSE, "phone system connection lost", this.upstream);
		}
	}

	private void forward(Frame frame, EdgeSocket to) {
		if (!frame.sendTo(to)) {
			// The socket has cut the side that fell behind; the other side is closed properly.
			synchronized (this) {
				end(StatusCode.TRY_AGAIN_LATER, "too far behind", null);
			}
		}
	}

	private void heardFromUpstream() {
		EdgeSocket socket = upstreamSocket();
		if (socket != null) {
			socket.heard();
		}
	}

	private EdgeSocket upstreamSocket() {
		return this.upstream;
	}

	/**
	 * Ends the relay once: closes whichever connections are still open other than {@code closedSide},
	 * the one that ended it. Called with this object's monitor held.
	 */
	private void end(int code, String reason, EdgeSocket closedSide) {
		if (this.state == State.CLOSED) {
			return;
		}
		this.state = State.CLOSED;
		this.pending.forEach((frame) -> this.backlog.release(frame.size()));
		this.pending.clear();
		if (closedSide != this.browser) {
			this.browser.close(code, reason);
		}
		if (this.upstream != null) {
			if (closedSide != this.upstream) {
				this.upstream.close(code, reason);
			}
		}
		else if (this.connecting != null) {
			this.connecting.cancel(false);
		}
	}

	@Override
	public String toString() {
		return "relay " + this.id;
	}

}
