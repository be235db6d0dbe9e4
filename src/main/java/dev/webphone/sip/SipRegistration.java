package dev.webphone.sip;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.webphone.ice.IceServer;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.ClientChannel;
import dev.webphone.line.GatewayParty;
import dev.webphone.line.MediaSignal;
import dev.webphone.line.PartyMessage;
import dev.webphone.line.PresenceFrame;
import dev.webphone.line.Redirect;
import dev.webphone.line.Refusal;
import dev.webphone.line.Resumed;
import dev.webphone.line.Switchboard;
import dev.webphone.signaling.MediaSignals;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser number that SIP phones can call: a Janus session whose SIP handle is registered at the
 * registrar under the number's SIP identity, kept up for as long as the server runs. A call to that
 * identity ({@code incomingcall}) is dialled on the line from the phone, whose offer the browser gets
 * once it answers; its answer goes back in Janus's {@code accept}. One call at a time: Janus turns a
 * second one away as busy. A session that is lost, or a registration that fails, is tried again every
 * {@link #RETRY_SECONDS} seconds, so the number is callable again once Janus and the registrar are.
 */
final class SipRegistration {

	private static final Log logger = LogFactory.getLog(SipRegistration.class);

	/** How long to wait before registering again after a failure. */
	static final long RETRY_SECONDS = 5;

	private final JanusClient janus;

	private final Switchboard switchboard;

	private final SipProperties.Registration registration;

	private final ScheduledExecutorService retries;

	// Guarded by this.
	private JanusSession session;

	private JanusHandle handle;

	private boolean registered;

	private boolean stopped;

	private IncomingCall call;

	SipRegistration(JanusClient janus, Switchboard switchboard, SipProperties.Registration registration,
			ScheduledExecutorService retries) {
		this.janus = janus;
		this.switchboard = switchboard;
		this.registration = registration;
		this.retries = retries;
	}

	/** Whether the registrar has accepted the registration, and Janus still holds it. */
	synchronized boolean isRegistered() {
		return this.registered;
	}

	void start() {
		this.janus.createSession(this::onEvent).thenCompose((session) -> {
			synchronized (this) {
				this.session = session;
				if (this.stopped) {
					session.close();
					throw new IllegalStateException("stopped");
				}
			}
			return session.attach(SipLeg.PLUGIN);
		}).thenCompose((handle) -> {
			synchronized (this) {
				this.handle = handle;
			}
			ObjectNode register = JanusHandle.body("register");
			register.put("username", this.registration.uri());
			register.put("proxy", this.registration.registrar());
			register.put("secret", this.registration.secret());
			if (!this.registration.username().isEmpty()) {
				register.put("authuser", this.registration.username());
			}
			return handle.message(register, null);
		}).whenComplete((answer, failure) -> {
			if (failure != null) {
				retry("Janus did not take the registration: " + failure.getMessage());
			}
		});
	}

	/** Drops the session (Janus unregisters nothing: the registration expires) and tries again later. */
	private void retry(String why) {
		JanusSession old;
		IncomingCall lost;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			logger.warn("SIP registration of " + this.registration + " is down (" + why + "); trying again in "
					+ RETRY_SECONDS + " s");
			this.registered = false;
			old = this.session;
			lost = this.call;
			this.session = null;
			this.handle = null;
			this.call = null;
		}
		if (lost != null) {
			lost.gatewayLost();
		}
		if (old != null) {
			old.close();
		}
		this.retries.schedule(this::start, RETRY_SECONDS, TimeUnit.SECONDS);
	}

	private void onEvent(JanusEvent event) {
		if (JanusEvent.LOST.equals(event.type())) {
			retry("the Janus session was lost");
			return;
		}
		if (!"event".equals(event.type())) {
			return;
		}
		IncomingCall current;
		synchronized (this) {
			current = this.call;
		}
		JsonNode result = event.data().path("result");
		switch (event.pluginEvent()) {
			case "registered" -> {
				synchronized (this) {
					this.registered = true;
				}
				logger.info("SIP registration of " + this.registration + " is up");
			}
			case "registration_failed" -> retry("the registrar answered " + result.path("code").asInt() + " "
					+ result.path("reason").asString(""));
			case "incomingcall" -> incoming(result, event.jsep());
			case "hangup" -> {
				if (current != null) {
					current.phoneHungUp();
				}
			}
			default -> {
				// accepted (our own accept), ringing, missed_call...: nothing the line needs.
			}
		}
	}

	private void incoming(JsonNode result, JsonNode offer) {
		IncomingCall call;
		JanusHandle to;
		synchronized (this) {
			to = this.handle;
			if (this.call != null || to == null) {
				// Janus turns a second call away itself while the handle is in one.
				return;
			}
			call = new IncomingCall(to, offer);
			this.call = call;
		}
		String from = user(result.path("username").asString(""));
		String callId = "sip-" + UUID.randomUUID().toString().replace("-", "");
		try {
			this.switchboard.dialFromGateway(this.registration.line(), from, this.registration.number(), callId,
					(party) -> {
						call.bind(party, callId);
						return call;
					});
		}
		catch (RuntimeException ex) {
			logger.warn("Incoming SIP call for " + this.registration + " not dialled", ex);
			call.decline(500);
		}
	}

	/** The user part of a SIP URI ({@code sip:alice@host} is {@code alice}), the URI when it has none. */
	static String user(String uri) {
		String rest = uri.replaceFirst("^<?sips?:", "");
		int at = rest.indexOf('@');
		return (at > 0) ? rest.substring(0, at) : uri;
	}

	private synchronized void ended(IncomingCall call) {
		if (this.call == call) {
			this.call = null;
		}
	}

	void stop() {
		JanusSession open;
		synchronized (this) {
			this.stopped = true;
			this.registered = false;
			open = this.session;
		}
		if (open != null) {
			open.close();
		}
	}

	/** The phone's side of one incoming call: the caller, driving Janus's handle. */
	private final class IncomingCall implements ClientChannel {

		private final JanusHandle handle;

		private final JsonNode offer;

		// Guarded by this.
		private GatewayParty party;

		private String callId;

		private boolean accepted;

		private boolean ended;

		IncomingCall(JanusHandle handle, JsonNode offer) {
			this.handle = handle;
			this.offer = offer;
		}

		synchronized void bind(GatewayParty party, String callId) {
			this.party = party;
			this.callId = callId;
		}

		@Override
		public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
			if (state == CallState.IN_CALL && Boolean.TRUE.equals(offerer)) {
				// The browser answered: it gets the phone's offer, and answers it.
				GatewayParty to;
				synchronized (this) {
					to = this.party;
				}
				if (this.offer == null || !"offer".equals(this.offer.path("type").asString())) {
					to.hangUp(callId, "the SIP phone sent no offer");
					return;
				}
				to.signal(callId, MediaSignals.description(callId, "offer", this.offer.path("sdp").asString()));
				return;
			}
			if (!state.isFinal()) {
				return;
			}
			boolean wasAccepted;
			synchronized (this) {
				if (this.ended) {
					return;
				}
				this.ended = true;
				wasAccepted = this.accepted;
			}
			ended(this);
			if (wasAccepted) {
				this.handle.message(JanusHandle.body("hangup"), null).exceptionally((failure) -> null);
			}
			else {
				decline(switch (state) {
					case BUSY -> 486;
					case NOT_FOUND -> 404;
					case REJECTED -> 603;
					case NOT_ANSWERED -> 480;
					default -> 487;
				});
			}
		}

		void decline(int code) {
			ObjectNode decline = JanusHandle.body("decline");
			decline.put("code", code);
			this.handle.message(decline, null).exceptionally((failure) -> null);
		}

		@Override
		public void signal(String callId, MediaSignal signal) {
			MediaSignals.SessionDescription description = MediaSignals.description(signal);
			if (description != null) {
				if (!"answer".equals(description.type())) {
					return;
				}
				synchronized (this) {
					if (this.ended || this.accepted) {
						return;
					}
					this.accepted = true;
				}
				ObjectNode jsep = JanusClient.JSON.createObjectNode();
				jsep.put("type", "answer");
				jsep.put("sdp", description.sdp());
				this.handle.message(JanusHandle.body("accept"), jsep).exceptionally((failure) -> {
					gatewayLost();
					return null;
				});
				return;
			}
			MediaSignals.IceCandidate candidate = MediaSignals.candidate(signal);
			if (candidate == null) {
				return;
			}
			ObjectNode json = JanusClient.JSON.createObjectNode();
			if (candidate.candidate().isEmpty()) {
				json.put("completed", true);
			}
			else {
				json.put("candidate", candidate.candidate());
				if (candidate.sdpMid() != null) {
					json.put("sdpMid", candidate.sdpMid());
				}
				if (candidate.sdpMLineIndex() != null) {
					json.put("sdpMLineIndex", candidate.sdpMLineIndex());
				}
			}
			// Janus keeps candidates that come before the answer until it has it.
			this.handle.trickle(json).exceptionally((failure) -> null);
		}

		/** The phone hung up, or cancelled its call before the answer. */
		void phoneHungUp() {
			end("the SIP phone hung up");
		}

		/** Janus or the registration went away under the call. */
		void gatewayLost() {
			end("the SIP gateway was lost");
		}

		private void end(String reason) {
			GatewayParty to;
			String id;
			synchronized (this) {
				if (this.ended) {
					return;
				}
				this.ended = true;
				to = this.party;
				id = this.callId;
			}
			ended(this);
			if (to != null) {
				to.hangUp(id, reason);
			}
		}

		@Override
		public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		}

		@Override
		public void redirected(String callId, CallState state, String otherParty, Redirect how) {
		}

		@Override
		public void fromParty(String callId, PartyMessage message) {
		}

		@Override
		public void refused(Refusal refusal) {
			logger.debug("The line refused the SIP phone's " + refusal.callId() + ": " + refusal.getMessage());
		}

		@Override
		public void accessGranted(String line, String phoneNumber, List<IceServer> iceServers) {
		}

		@Override
		public void presence(PresenceFrame frame) {
		}

		@Override
		public void restartIce(String callId) {
		}

		@Override
		public void resumed(Resumed resumed) {
		}

	}

}
