package dev.webphone.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import dev.webphone.signaling.MediaSignals;
import dev.webphone.sip.SipDialPlan.SipTarget;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SIP phone's side of one call from a browser: a party of the line whose channel drives a Janus
 * session of its own, with one SIP plugin handle. The incoming call opens the session; the caller's
 * offer goes out in the SIP {@code INVITE} ({@code call}), its candidates as trickles; the phone's
 * answer ({@code accepted}) answers the call and goes back to the browser; a SIP failure turns the
 * ringing call down as {@link SipResponse} says; the end of the call, whoever ends it, hangs up and
 * destroys the session.
 *
 * <p>The line calls the channel methods in order for this party; Janus's events come on other
 * threads. The state is guarded by this object, and the line is told what happened with no lock held.
 */
final class SipLeg implements ClientChannel {

	private static final Log logger = LogFactory.getLog(SipLeg.class);

	static final String PLUGIN = "janus.plugin.sip";

	private final JanusClient janus;

	private final SipTarget target;

	private final GatewayParty party;

	// Guarded by this.
	private String callId;

	private JanusSession session;

	private JanusHandle handle;

	/** Janus has the handle and its identity: a call can go out. */
	private boolean ready;

	/** The caller's offer, as Janus's {@code jsep}, until it goes out in the call. */
	private ObjectNode offer;

	private final List<JsonNode> candidates = new ArrayList<>();

	/** The {@code call} request went to Janus. */
	private boolean calling;

	/** The {@code call} request was acknowledged: candidates may be trickled straight away. */
	private boolean trickling;

	/** The session description of an early-media {@code progress}, for an answer that comes without. */
	private JsonNode earlyAnswer;

	private boolean answered;

	/**
	 * The phone sent a new offer in the call (a re-INVITE, which Janus turned into WebRTC's terms): the
	 * browser's next answer goes back in an {@code update}, which answers the re-INVITE.
	 */
	private boolean phoneOffered;

	/** The call is on hold: Janus put the phone on hold with a re-INVITE ({@code hold}). */
	private boolean held;

	/** The call is over for the line, or the gateway ended it: nothing more goes either way. */
	private boolean ended;

	SipLeg(JanusClient janus, SipTarget target, GatewayParty party) {
		this.janus = janus;
		this.target = target;
		this.party = party;
	}

	@Override
	public void incoming(String callId, String from, CallType callType, Map<String, Object> properties) {
		synchronized (this) {
			this.callId = callId;
		}
		this.janus.createSession(this::onEvent).thenCompose((session) -> {
			synchronized (this) {
				this.session = session;
				if (this.ended) {
					session.close();
					throw new IllegalStateException("the call ended");
				}
			}
			return session.attach(PLUGIN);
		}).thenCompose((handle) -> {
			synchronized (this) {
				this.handle = handle;
			}
			return handle.message(identity(from), null);
		}).whenComplete((answer, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				failed("the SIP gateway is unreachable (" + cause.getMessage() + ")");
				return;
			}
			synchronized (this) {
				this.ready = true;
			}
			sendCall();
		});
	}

	/**
	 * Who the call comes from: the route's identity, with its credentials, and no REGISTER either way
	 * (the call goes out at once); a guest identity by the caller's number when the route has none.
	 */
	private ObjectNode identity(String from) {
		SipProperties.Route route = this.target.route();
		ObjectNode register = JanusHandle.body("register");
		if (route.username().isEmpty()) {
			register.put("type", "guest");
			register.put("username", route.fromUri().isEmpty() ? "sip:" + from + "@webphone.invalid" : route.fromUri());
		}
		else {
			register.put("send_register", false);
			register.put("username",
					route.fromUri().isEmpty() ? "sip:" + route.username() + "@" + host(this.target.uri()) : route.fromUri());
			register.put("authuser", route.username());
			register.put("secret", route.secret());
			register.put("display_name", from);
		}
		if (!route.proxy().isEmpty()) {
			register.put("proxy", route.proxy());
			register.put("outbound_proxy", route.proxy());
		}
		return register;
	}

	private static String host(String uri) {
		String rest = uri.substring(uri.indexOf(':') + 1);
		rest = rest.substring(rest.indexOf('@') + 1);
		int end = rest.length();
		for (char stop : new char[] { ';', '?', '>' }) {
			int at = rest.indexOf(stop);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		return rest.substring(0, end);
	}

	@Override
	public void signal(String callId, MediaSignal signal) {
		MediaSignals.SessionDescription description = MediaSignals.description(signal);
		if (description != null) {
			if (renegotiate(description)) {
				return;
			}
			if (!"offer".equals(description.type())) {
				return;
			}
			synchronized (this) {
				if (this.calling || this.ended) {
					// An offer while the INVITE is still out: SIP allows no second one until it is answered.
					logger.debug("Ignored a new offer for SIP call " + callId + " before the phone answered");
					return;
				}
				ObjectNode jsep = JanusClient.JSON.createObjectNode();
				jsep.put("type", "offer");
				jsep.put("sdp", description.sdp());
				this.offer = jsep;
			}
			sendCall();
			return;
		}
		MediaSignals.IceCandidate candidate = MediaSignals.candidate(signal);
		if (candidate == null) {
			return;
		}
		JsonNode trickle = null;
		JanusHandle to;
		synchronized (this) {
			if (this.ended) {
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
			if (!this.trickling) {
				this.candidates.add(json);
				return;
			}
			trickle = json;
			to = this.handle;
		}
		trickle(to, trickle);
	}

	/**
	 * A session description in the connected call: the browser's new offer (an ICE restart after a
	 * resume, a camera) goes to the phone as a re-INVITE ({@code update}), and its answer to the phone's
	 * re-INVITE goes back the same way. Whether the description was one of these.
	 */
	private boolean renegotiate(MediaSignals.SessionDescription description) {
		JanusHandle to;
		synchronized (this) {
			if (this.ended || !this.answered) {
				return false;
			}
			if ("answer".equals(description.type())) {
				if (!this.phoneOffered) {
					return true;
				}
				this.phoneOffered = false;
			}
			to = this.handle;
		}
		ObjectNode jsep = JanusClient.JSON.createObjectNode();
		jsep.put("type", description.type());
		jsep.put("sdp", description.sdp());
		to.message(JanusHandle.body("update"), jsep).whenComplete((answer, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				failed("the SIP gateway did not take the new session description (" + cause.getMessage() + ")");
			}
		});
		return true;
	}

	private static void trickle(JanusHandle handle, JsonNode candidate) {
		handle.trickle(candidate).exceptionally((failure) -> {
			logger.debug("A candidate did not reach Janus", failure);
			return null;
		});
	}

	/** Sends the INVITE once Janus is ready and the caller's offer is here, whichever comes last. */
	private void sendCall() {
		JanusHandle to;
		ObjectNode jsep;
		synchronized (this) {
			if (!this.ready || this.offer == null || this.calling || this.ended) {
				return;
			}
			this.calling = true;
			to = this.handle;
			jsep = this.offer;
			this.offer = null;
		}
		ObjectNode call = JanusHandle.body("call");
		call.put("uri", this.target.uri());
		to.message(call, jsep).whenComplete((answer, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				failed("the SIP gateway did not take the call (" + cause.getMessage() + ")");
				return;
			}
			List<JsonNode> queued;
			synchronized (this) {
				this.trickling = true;
				queued = List.copyOf(this.candidates);
				this.candidates.clear();
			}
			queued.forEach((candidate) -> trickle(to, candidate));
		});
	}

	private void onEvent(JanusEvent event) {
		if (JanusEvent.LOST.equals(event.type())) {
			failed("the SIP gateway was lost");
			return;
		}
		if (!"event".equals(event.type())) {
			// webrtcup, media, slowlink, the WebRTC side's hangup: the plugin's own events say what matters.
			return;
		}
		JsonNode data = event.data();
		if (data.has("error_code")) {
			synchronized (this) {
				if (this.answered) {
					// A request in the connected call (hold, update, DTMF) that Janus refused: the call goes on.
					logger.warn("Janus refused a request in SIP call " + this.callId + ": "
							+ data.path("error_code").asInt() + " " + data.path("error").asString(""));
					return;
				}
			}
			failed("the SIP gateway refused the call (" + data.path("error_code").asInt() + " "
					+ data.path("error").asString("") + ")");
			return;
		}
		JsonNode result = data.path("result");
		if (logger.isDebugEnabled()) {
			logger.debug("SIP call " + this.callId + ": Janus's " + event.pluginEvent()
					+ ((event.jsep() != null) ? " with an " + event.jsep().path("type").asString("") : ""));
		}
		switch (event.pluginEvent()) {
			case "progress" -> {
				synchronized (this) {
					this.earlyAnswer = event.jsep();
				}
			}
			case "accepted" -> accepted(event.jsep());
			case "updatingcall", "updated" -> updated(event.jsep());
			case "hangup" -> hungUp(result.path("code").asInt(), result.path("reason").asString(""));
			default -> {
				// registered, calling, ringing, proceeding: the caller hears RINGING already.
			}
		}
	}

	private void accepted(JsonNode jsep) {
		String id;
		JsonNode answer;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			if (this.answered) {
				// The phone's answer to a re-INVITE of ours (an update): Janus says accepted again.
				id = null;
				answer = null;
			}
			else {
				this.answered = true;
				id = this.callId;
				answer = (jsep != null) ? jsep : this.earlyAnswer;
			}
		}
		if (id == null) {
			updated(jsep);
			return;
		}
		accept(id, answer);
	}

	/** The phone answered the call: the line hears it, then the browser gets the phone's answer. */
	private void accept(String id, JsonNode answer) {
		if (answer == null || !"answer".equals(answer.path("type").asString())) {
			failed("the SIP phone answered without a session description");
			return;
		}
		this.party.answer(id);
		this.party.signal(id, MediaSignals.description(id, "answer", answer.path("sdp").asString()));
	}

	/**
	 * A session description in the connected call: the phone's answer to the browser's new offer, or
	 * the phone's own new offer (its re-INVITE), which the browser answers through {@link #signal}.
	 */
	private void updated(JsonNode jsep) {
		if (jsep == null || !jsep.has("sdp")) {
			return;
		}
		String id;
		String type = jsep.path("type").asString("");
		synchronized (this) {
			if (this.ended || !this.answered) {
				return;
			}
			if ("offer".equals(type)) {
				this.phoneOffered = true;
			}
			id = this.callId;
		}
		if ("offer".equals(type) || "answer".equals(type)) {
			this.party.signal(id, MediaSignals.description(id, type, jsep.path("sdp").asString()));
		}
	}

	private void hungUp(int code, String phrase) {
		String id;
		boolean wasAnswered;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			id = this.callId;
			wasAnswered = this.answered;
		}
		close();
		if (wasAnswered) {
			this.party.hangUp(id, "the SIP phone hung up");
		}
		else if (code >= 300 && code <= 699) {
			SipResponse response = SipResponse.ofFailure(code, phrase);
			this.party.refuse(id, response.state(), response.reason());
		}
		else {
			this.party.refuse(id, CallState.COMPLETED, "the SIP call ended (" + code + " " + phrase + ")");
		}
	}

	/** The gateway side failed: the line hears of it once, and the Janus session goes. */
	private void failed(String reason) {
		String id;
		boolean wasAnswered;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			id = this.callId;
			wasAnswered = this.answered;
		}
		close();
		if (wasAnswered) {
			this.party.hangUp(id, reason);
		}
		else {
			this.party.refuse(id, CallState.COMPLETED, reason);
		}
	}

	@Override
	public void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer) {
		if (state == CallState.HOLD || state == CallState.IN_CALL) {
			hold(state == CallState.HOLD);
			return;
		}
		if (!state.isFinal()) {
			return;
		}
		JanusHandle to;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			to = this.calling ? this.handle : null;
		}
		if (to == null) {
			close();
			return;
		}
		// A hang-up, or a CANCEL for a call still ringing; then the session goes, its handle with it.
		to.message(JanusHandle.body("hangup"), null).whenComplete((answer, failure) -> close());
	}

	/**
	 * Puts the phone on hold, or takes it off, with a re-INVITE Janus makes ({@code hold}, {@code unhold}):
	 * the phone hears that it is held (and stops sending), whichever party held the call. The browser
	 * stops sending meanwhile as for any held call.
	 */
	private void hold(boolean hold) {
		JanusHandle to;
		synchronized (this) {
			if (this.ended || !this.answered || this.held == hold) {
				return;
			}
			this.held = hold;
			to = this.handle;
		}
		logger.debug("SIP call " + this.callId + ": asking Janus to " + (hold ? "hold" : "unhold"));
		to.message(JanusHandle.body(hold ? "hold" : "unhold"), null).whenComplete((answer, failure) -> {
			if (failure != null) {
				logger.debug("Janus did not " + (hold ? "hold" : "resume") + " SIP call " + callId, failure);
			}
		});
	}

	private void close() {
		JanusSession open;
		synchronized (this) {
			open = this.session;
		}
		if (open != null) {
			open.close();
		}
	}

	@Override
	public void redirected(String callId, CallState state, String otherParty, Redirect how) {
		// The line refuses to forward or transfer calls with a phone behind a gateway.
	}

	@Override
	public void fromParty(String callId, PartyMessage message) {
		// Chat messages have nowhere to go on a SIP phone; DTMF goes in the audio (RFC 4733) already.
	}

	@Override
	public void refused(Refusal refusal) {
		// What this party asked came too late: the call ended meanwhile, and its end closes the session.
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
