package dev.webphone.signaling;

import java.util.List;
import java.util.Map;

import dev.webphone.ice.IceServer;
import dev.webphone.line.AccessDeniedException;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.Client;
import dev.webphone.line.ClientChannel;
import dev.webphone.line.ErrorCode;
import dev.webphone.line.MediaSignal;
import dev.webphone.line.Resumed;
import dev.webphone.line.SignalingException;
import dev.webphone.line.Switchboard;
import dev.webphone.metrics.SignalingMetrics;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.springframework.web.socket.CloseStatus;

/**
 * One browser's signalling connection: decodes what it sends into calls on the {@link Switchboard},
 * and is the {@link ClientChannel} through which the line talks back while this connection holds the
 * client (a {@link ResumableClient} stands between them, so that a later connection can take the
 * client over).
 */
final class SignalingSession implements ClientChannel {

	private final BrowserSocket socket;

	private final SignalingCodec codec;

	private final Switchboard switchboard;

	private final RateLimit rateLimit;

	private final SignalingMetrics metrics;

	private final String iceTransportPolicy;

	private final SessionResumption resumption;

	/** Set once the browser has joined a line; read by the closing thread too. */
	private volatile Client client;

	/** How the joined client outlives this connection; guarded by this, with {@link #closedBy}. */
	private ResumableClient resumable;

	/** Why the connection closed, once it has; guarded by this. */
	private CloseCause closedBy;

	SignalingSession(BrowserSocket socket, SignalingCodec codec, Switchboard switchboard, RateLimit rateLimit,
			SignalingMetrics metrics, String iceTransportPolicy, SessionResumption resumption) {
		this.socket = socket;
		this.codec = codec;
		this.switchboard = switchboard;
		this.rateLimit = rateLimit;
		this.metrics = metrics;
		this.iceTransportPolicy = iceTransportPolicy;
		this.resumption = resumption;
	}

	/** Handles one frame from the browser; a refused message is answered with an {@code error}. */
	void receive(String frame) {
		this.metrics.received();
		try {
			if (!this.rateLimit.tryAcquire()) {
				throw new SignalingException(ErrorCode.RATE_LIMITED, "Too many messages; slow down");
			}
			dispatch(this.codec.decode(frame));
		}
		catch (SignalingException ex) {
			error(ex);
		}
		catch (AccessDeniedException ex) {
			send(new ServerMessage.AccessDenied(ex.getMessage()));
			this.socket.close(StatusCode.POLICY_VIOLATION, "access denied");
		}
	}

	private void dispatch(ClientMessage message) {
		if (message instanceof ClientMessage.Connect connect) {
			if (this.client != null) {
				throw new SignalingException(ErrorCode.ALREADY_CONNECTED, "Already connected as " + this.client);
			}
			ResumableClient channel = this.resumption.open(this);
			this.client = this.switchboard.join(connect.line(), connect.properties(), channel);
			this.resumption.joined(channel, this.client);
			adopt(channel);
			return;
		}
		if (message instanceof ClientMessage.Resume resume) {
			resume(resume);
			return;
		}
		Client joined = this.client;
		if (joined == null) {
			throw new SignalingException(ErrorCode.NOT_CONNECTED, "Send 'connect' first");
		}
		if (!isHolding()) {
			throw new SignalingException(ErrorCode.NOT_CONNECTED,
					"This connection's session was resumed on another connection");
		}
		if (message instanceof ClientMessage.Dial dial) {
			this.switchboard.dial(joined, dial.callId(), dial.to(), dial.callType());
		}
		else if (message instanceof ClientMessage.Accept accept) {
			this.switchboard.accept(joined, accept.callId());
		}
		else if (message instanceof ClientMessage.Reject reject) {
			this.switchboard.reject(joined, reject.callId());
		}
		else if (message instanceof ClientMessage.HangUp hangUp) {
			this.switchboard.hangUp(joined, hangUp.callId(), hangUp.reason());
		}
		else if (message instanceof Negotiation negotiation) {
			this.switchboard.relay(joined, negotiation.callId(), negotiation);
		}
		else {
			throw new IllegalStateException("Unhandled message " + message);
		}
	}

	private void resume(ClientMessage.Resume resume) {
		if (this.client != null) {
			throw new SignalingException(ErrorCode.ALREADY_CONNECTED, "Already connected as " + this.client);
		}
		ResumableClient resumed;
		try {
			resumed = this.resumption.resume(resume.secret(), this);
		}
		catch (SessionResumption.ResumeRefusedException ex) {
			send(new ServerMessage.ResumeRefused(ex.getMessage()));
			return;
		}
		this.client = resumed.client();
		adopt(resumed);
	}

	/**
	 * This connection now holds the client; a close that came first is handled here, a later one by
	 * {@link #closed}: never both, never neither.
	 */
	private void adopt(ResumableClient channel) {
		CloseCause cause;
		synchronized (this) {
			this.resumable = channel;
			cause = this.closedBy;
		}
		if (cause != null) {
			this.resumption.closed(channel, this, cause);
		}
	}

	private boolean isHolding() {
		ResumableClient channel;
		synchronized (this) {
			channel = this.resumable;
		}
		return channel == null || channel.isHeldBy(this);
	}

	/** The browser sent a frame the protocol has no place for. */
	void refuse(ErrorCode code, String reason) {
		this.metrics.received();
		error(new SignalingException(code, reason));
	}

	/**
	 * The connection is gone: the client leaves its line, or waits for a resume, depending on how it
	 * went; see {@link CloseCause}.
	 */
	void closed(CloseStatus status) {
		// A browser that stopped reading is let go as if it had said goodbye, as before resume existed:
		// what it missed cannot be held for it without bound.
		CloseCause cause = this.socket.wasCutOffAsSlow() ? CloseCause.CLEAN : CloseCause.of(status);
		ResumableClient channel;
		synchronized (this) {
			this.closedBy = cause;
			channel = this.resumable;
		}
		if (channel != null) {
			this.resumption.closed(channel, this, cause);
		}
	}

	/** Closes the connection from the server's side, as a server restarting behind a proxy would. */
	void cut(int code, String reason) {
		this.socket.close(code, reason);
	}

	/** A resume on another connection took the client: this one is closed and its page told why. */
	void superseded() {
		this.socket.close(RESUMED_ELSEWHERE, "resumed on another connection");
	}

	/** The close status of a connection whose client a newer connection resumed. */
	static final int RESUMED_ELSEWHERE = 4001;

	void ping() {
		this.socket.ping();
	}

	@Override
	public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		send(new ServerMessage.AccessGranted(line, phoneNumber, iceServers, this.iceTransportPolicy, null, null));
	}

	void granted(String line, String phoneNumber, List<IceServer> iceServers, String resumeSecret, long graceMillis) {
		send(new ServerMessage.AccessGranted(line, phoneNumber, iceServers, this.iceTransportPolicy, resumeSecret,
				graceMillis));
	}

	void resumed(Client client, Resumed resumed, String resumeSecret, long graceMillis) {
		Resumed.CallView call = resumed.call();
		send(new ServerMessage.Resumed(client.lineName(), client.number(), resumed.iceServers(), this.iceTransportPolicy,
				resumeSecret, graceMillis, (call != null)
						? new ServerMessage.ResumedCall(call.callId(), call.state(), call.otherParty(), call.offerer())
						: null));
	}

	@Override
	public void restartIce(String callId) {
		send(new ServerMessage.RestartIce(callId));
	}

	@Override
	public void clientState(String phoneNumber, Presence status, Map<String, Object> properties) {
		send(new ServerMessage.ClientState(phoneNumber, status, properties));
	}

	@Override
	public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		send(new ServerMessage.Incoming(callId, from, callType, properties));
	}

	@Override
	public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
		send(new ServerMessage.CallStateChanged(callId, state, otherParty, reason, offerer));
	}

	@Override
	public void signal(String callId, MediaSignal signal) {
		send(((Negotiation) signal).forCall(callId));
	}

	@Override
	public void error(SignalingException error) {
		this.metrics.error(error.code());
		send(new ServerMessage.Error(error.code(), error.getMessage(), error.callId()));
	}

	private void send(ServerMessage message) {
		if (this.socket.send(this.codec.encode(message))) {
			this.metrics.sent();
		}
	}

}
