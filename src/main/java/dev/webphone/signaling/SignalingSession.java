package dev.webphone.signaling;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.webphone.access.CallAttemptLimit;
import dev.webphone.access.LineAdmission;
import dev.webphone.edge.BrowserSocket;
import dev.webphone.ice.IceServer;
import dev.webphone.line.AccessDeniedException;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.Client;
import dev.webphone.line.MediaSignal;
import dev.webphone.line.PartyMessage;
import dev.webphone.line.PresenceFrame;
import dev.webphone.line.Redirect;
import dev.webphone.line.Refusal;
import dev.webphone.line.Resumed;
import dev.webphone.line.Switchboard;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.springframework.web.socket.CloseStatus;

/**
 * One browser's signalling connection: decodes what it sends into calls on the {@link Switchboard},
 * and encodes what the line tells the client while this connection holds it. The line talks to a
 * {@link ResumableClient}, which forwards to whichever connection holds the client at the moment, so
 * that a later connection can take the client over.
 */
public final class SignalingSession {

	/** The close status of a connection whose client a newer connection resumed. */
	static final int RESUMED_ELSEWHERE = 4001;


	private final BrowserSocket socket;

	private final SignalingCodec codec;

	private final Switchboard switchboard;

	private final RateLimit rateLimit;

	private final SignalingMetrics metrics;

	private final String iceTransportPolicy;

	private final LineAdmission admission;

	private final CallAttemptLimit callAttempts;

	private final SessionResumption resumption;

	/**
	 * Set once the browser has been admitted to a line, before anyone else can reach it; read by the
	 * closing thread too.
	 */
	private volatile Client client;

	/** Set first thing when the connection is gone; read by a join under way. */
	private volatile boolean closed;

	/** How the joined client outlives this connection; guarded by this, with {@link #closedBy}. */
	private ResumableClient resumable;

	/** Why the connection closed, once it has; guarded by this. */
	private CloseCause closedBy;

	SignalingSession(BrowserSocket socket, SignalingCodec codec, Switchboard switchboard, RateLimit rateLimit,
			SignalingMetrics metrics, String iceTransportPolicy, LineAdmission admission, CallAttemptLimit callAttempts,
			SessionResumption resumption) {
		this.admission = admission;
		this.callAttempts = callAttempts;
		this.resumption = resumption;
		this.socket = socket;
		this.codec = codec;
		this.switchboard = switchboard;
		this.rateLimit = rateLimit;
		this.metrics = metrics;
		this.iceTransportPolicy = iceTransportPolicy;
	}

	/** Handles one frame from the browser; a refused message is answered with an {@code error}. */
	public void receive(String frame) {
		receive(frame.getBytes(StandardCharsets.UTF_8));
	}

	/** A text frame as its UTF-8 bytes, which the edge has checked are valid UTF-8. */
	public void receive(byte[] frame) {
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
			join(connect);
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
			if (!this.callAttempts.tryAcquire()) {
				throw new SignalingException(ErrorCode.RATE_LIMITED, this.callAttempts.refusal(), dial.callId());
			}
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
		else if (message instanceof ClientMessage.Forward forward) {
			this.switchboard.forward(joined, forward.callId(), forward.to());
		}
		else if (message instanceof ClientMessage.Transfer transfer) {
			this.switchboard.transfer(joined, transfer.callId(), transfer.to());
		}
		else if (message instanceof ClientMessage.Watch watch) {
			this.switchboard.watch(joined, watch.numbers());
		}
		else if (message instanceof ClientMessage.Hold hold) {
			this.switchboard.hold(joined, hold.callId());
		}
		else if (message instanceof ClientMessage.Unhold unhold) {
			this.switchboard.unhold(joined, unhold.callId());
		}
		else if (message instanceof Negotiation negotiation) {
			this.switchboard.relay(joined, negotiation.callId(), negotiation);
		}
		else if (message instanceof CallMessage said) {
			this.switchboard.tellParty(joined, said.callId(), said.toParty());
		}
		else {
			throw new IllegalStateException("Unhandled message " + message);
		}
	}

	/**
	 * Joins in two steps, so that a close racing the join always finds something to end: the client is
	 * recorded here before the line makes it reachable. Whichever of the two threads comes second sees
	 * the other's write (both fields are volatile): either the closer finds the client and leaves (after
	 * which entering does nothing), or this thread finds the connection closed and leaves itself.
	 */
	private void join(ClientMessage.Connect connect) {
		LineAdmission.Admission allowed = this.admission.admit(connect.line(), connect.properties(), connect.extension(),
				connect.password());
		ResumableClient channel = this.resumption.open(this);
		Client admitted = this.switchboard.admit(allowed.line(), allowed.number(), allowed.properties(), channel);
		channel.bind(admitted);
		this.client = admitted;
		if (this.closed) {
			this.switchboard.leave(admitted);
			return;
		}
		this.switchboard.enter(admitted);
		this.resumption.joined(channel, admitted);
		adopt(channel);
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
	 * This connection now holds the client for good: from here on a close is the resumption's to judge.
	 * A close that came first is handed over here, a later one by {@link #closed}: never both, never
	 * neither.
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
	public void refuse(ErrorCode code, String reason) {
		this.metrics.received();
		error(new SignalingException(code, reason));
	}

	/**
	 * The connection is gone: the client leaves its line, or waits for a resume, depending on how it
	 * went; see {@link CloseCause}. A connection that closes while it joins takes its client with it.
	 */
	public void closed(CloseStatus status) {
		this.closed = true;
		CloseCause cause = CloseCause.of(status, this.socket.fellBehind(), this.socket.timedOut());
		ResumableClient channel;
		synchronized (this) {
			this.closedBy = cause;
			channel = this.resumable;
		}
		if (channel != null) {
			this.resumption.closed(channel, this, cause);
			return;
		}
		Client joining = this.client;
		if (joining != null) {
			this.switchboard.leave(joining);
		}
	}

	/** A resume on another connection took the client: this one is closed and its page told why. */
	void superseded() {
		this.socket.close(RESUMED_ELSEWHERE, "resumed on another connection");
	}

	/** Closes the connection from the server's side, as a server restarting behind a proxy would. */
	void cut(int code, String reason) {
		this.socket.close(code, reason);
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

	void restartIce(String callId) {
		send(new ServerMessage.RestartIce(callId));
	}

	void presence(PresenceFrame frame) {
		// The list of everyone online comes once per connection and can be large on a big line; it does
		// not count as falling behind.
		if (this.socket.sendShared(frame.encoded(this.codec::encode), frame.mode() != PresenceFrame.Mode.FULL)) {
			this.metrics.sent();
		}
	}

	String remoteAddress() {
		return this.socket.remoteAddress();
	}

	void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		send(new ServerMessage.Incoming(callId, from, callType, properties));
	}

	void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
		send(new ServerMessage.CallStateChanged(callId, state, otherParty, reason, offerer, null));
	}

	void redirected(String callId, CallState state, String otherParty, Redirect how) {
		String word = switch (how) {
			case FORWARDED -> ServerMessage.CallStateChanged.FORWARDED;
			case TRANSFERRED -> ServerMessage.CallStateChanged.TRANSFERRED;
		};
		send(new ServerMessage.CallStateChanged(callId, state, otherParty, word, null, word));
	}

	void signal(String callId, MediaSignal signal) {
		send(((Negotiation) signal).forCall(callId));
	}

	void fromParty(String callId, PartyMessage message) {
		send(CallMessage.of(callId, message));
	}

	void refused(Refusal refusal) {
		ErrorCode code = switch (refusal.reason()) {
			case NO_SUCH_CALL -> ErrorCode.UNKNOWN_CALL;
			case NOT_NOW -> ErrorCode.INVALID_STATE;
			case TARGET_BUSY -> ErrorCode.BUSY;
			case TARGET_NOT_FOUND -> ErrorCode.NOT_FOUND;
			case INVALID_TARGET -> ErrorCode.INVALID_TARGET;
		};
		error(new SignalingException(code, refusal.getMessage(), refusal.callId()));
	}

	private void error(SignalingException error) {
		this.metrics.error(error.code());
		send(new ServerMessage.Error(error.code(), error.getMessage(), error.callId()));
	}

	private void send(ServerMessage message) {
		if (this.socket.sendText(this.codec.encode(message))) {
			this.metrics.sent();
		}
	}

}
