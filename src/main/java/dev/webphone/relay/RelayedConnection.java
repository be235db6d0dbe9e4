package dev.webphone.relay;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

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
 * up to {@code maxPendingFrames} such frames wait and go first once it opens. After that, sends are
 * asynchronous; what one side has not yet taken is counted, and a side that falls more than
 * {@code bufferLimit} bytes behind ends the relay rather than letting memory grow. What waits for the
 * upstream, before and after it opens, also counts against the {@link UpstreamBacklog} all browsers
 * share; a frame that does not fit ends this relay.
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

	private final Session browser;

	private final int maxPendingFrames;

	private final long bufferLimit;

	private final UpstreamBacklog backlog;

	private final AtomicLong unsentToBrowser = new AtomicLong();

	private final AtomicLong unsentToUpstream = new AtomicLong();

	private final Deque<Frame> pending = new ArrayDeque<>();

	private State state = State.CONNECTING;

	private Session upstream;

	private CompletableFuture<Session> connecting;

	RelayedConnection(String id, Session browser, int maxPendingFrames, long bufferLimit, UpstreamBacklog backlog) {
		this.id = id;
		this.browser = browser;
		this.maxPendingFrames = maxPendingFrames;
		this.bufferLimit = bufferLimit;
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
				else if (admitForUpstream(frame)) {
					this.pending.add(frame);
				}
			}
			case OPEN -> {
				if (admitForUpstream(frame)) {
					sendToUpstream(frame);
				}
			}
			case CLOSED -> {
				// late frame from a browser whose relay already ended
			}
		}
	}

	/** The browser's connection closed, whoever closed it: the upstream connection goes too. */
	synchronized void browserClosed(int code) {
		end(StatusCode.isTransmittable(code) ? code : StatusCode.SHUTDOWN, "browser gone", this.browser);
	}

	/** The upstream could not be reached in time (or refused the upgrade). */
	void upstreamUnreachable(Throwable failure) {
		logger.debug("Relay " + this.id + ": phone system unreachable", failure);
		synchronized (this) {
			end(StatusCode.INVALID_UPSTREAM_RESPONSE, "phone system unreachable", null);
		}
	}

	/** Keeps both connections alive through idle timeouts and finds dead ones. */
	void ping() {
		Session up;
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return;
			}
			up = this.upstream;
		}
		ping(this.browser);
		if (up != null) {
			ping(up);
		}
	}


	@Override
	public void onWebSocketOpen(Session session) {
		synchronized (this) {
			if (this.state == State.CLOSED) {
				session.close(StatusCode.SHUTDOWN, "browser gone", Callback.NOOP);
				return;
			}
			this.upstream = session;
			this.state = State.OPEN;
			while (!this.pending.isEmpty() && this.state == State.OPEN) {
				sendToUpstream(this.pending.poll());
			}
		}
	}

	@Override
	public void onWebSocketText(String text) {
		forward(new Frame.Text(text), this.browser, this.unsentToBrowser);
	}

	@Override
	public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
		forward(Frame.Binary.copyOf(payload), this.browser, this.unsentToBrowser);
		callback.succeed();
	}

	@Override
	public void onWebSocketClose(int code, String reason) {
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
		synchronized (this) {
			end(StatusCode.INVALID_UPSTREAM_RESPONSE, "phone system connection lost", this.upstream);
		}
	}

	/**
	 * Counts a frame for the upstream against this browser's limit and the shared backlog, from now until
	 * the upstream has taken it; ends the relay when either is full. Called with this object's monitor
	 * held.
	 * @return whether the frame may be queued or sent
	 */
	private boolean admitForUpstream(Frame frame) {
		long size = frame.size();
		if (this.unsentToUpstream.addAndGet(size) > this.bufferLimit) {
			this.unsentToUpstream.addAndGet(-size);
			abandonUpstream();
			end(StatusCode.TRY_AGAIN_LATER, "the phone system is too far behind", null);
			return false;
		}
		if (!this.backlog.reserve(size)) {
			this.unsentToUpstream.addAndGet(-size);
			logger.debug("Relay " + this.id + ": the backlog for the phone system is full (" + this.backlog.limit()
					+ " bytes)");
			abandonUpstream();
			end(StatusCode.TRY_AGAIN_LATER, "relay busy: too much waiting for the phone system", null);
			return false;
		}
		return true;
	}

	/**
	 * Drops the upstream connection without a close handshake: a close frame would wait behind what the
	 * upstream is not reading, and so would the backlog it holds until the idle timeout.
	 */
	private void abandonUpstream() {
		if (this.upstream != null) {
			this.upstream.disconnect();
		}
	}

	/** Sends an admitted frame; what it counted is given back once the upstream took it or it failed. */
	private void sendToUpstream(Frame frame) {
		long size = frame.size();
		frame.sendTo(this.upstream, Callback.from(() -> releaseForUpstream(size), (failure) -> {
			releaseForUpstream(size);
			lost(failure);
		}));
	}

	private void releaseForUpstream(long size) {
		this.unsentToUpstream.addAndGet(-size);
		this.backlog.release(size);
	}

	private void forward(Frame frame, Session to, AtomicLong unsent) {
		long size = frame.size();
		if (unsent.addAndGet(size) > this.bufferLimit) {
			unsent.addAndGet(-size);
			if (to == this.browser) {
				// A close frame would queue behind everything the browser is not reading.
				this.browser.disconnect();
			}
			synchronized (this) {
				end(StatusCode.TRY_AGAIN_LATER, "too far behind", null);
			}
			return;
		}
		frame.sendTo(to, Callback.from(() -> unsent.addAndGet(-size), this::lost));
	}

	private void lost(Throwable failure) {
		logger.debug("Relay " + this.id + ": a send failed", failure);
		synchronized (this) {
			end(StatusCode.SERVER_ERROR, "relay send failed", null);
		}
	}

	/**
	 * Ends the relay once: closes whichever connections are still open other than {@code closedSide},
	 * the one that ended it. Called with this object's monitor held.
	 */
	private void end(int code, String reason, Session closedSide) {
		if (this.state == State.CLOSED) {
			return;
		}
		this.state = State.CLOSED;
		this.pending.forEach((frame) -> releaseForUpstream(frame.size()));
		this.pending.clear();
		if (closedSide != this.browser) {
			this.browser.close(code, reason, Callback.NOOP);
		}
		if (this.upstream != null) {
			if (closedSide != this.upstream) {
				this.upstream.close(code, reason, Callback.NOOP);
			}
		}
		else if (this.connecting != null) {
			this.connecting.cancel(false);
		}
	}

	private void ping(Session session) {
		session.sendPing(ByteBuffer.allocate(0), Callback.from(() -> {
		}, this::lost));
	}

	@Override
	public String toString() {
		return "relay " + this.id;
	}

}
