package dev.webphone.signaling;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.webphone.ice.IceServer;
import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.ClientChannel.Presence;

/**
 * A message to a browser; see {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ServerMessage.AccessGranted.class, name = "access-granted"),
		@JsonSubTypes.Type(value = ServerMessage.AccessDenied.class, name = "access-denied"),
		@JsonSubTypes.Type(value = ServerMessage.Resumed.class, name = "resumed"),
		@JsonSubTypes.Type(value = ServerMessage.ResumeRefused.class, name = "resume-refused"),
		@JsonSubTypes.Type(value = ServerMessage.RestartIce.class, name = "restart-ice"),
		@JsonSubTypes.Type(value = ServerMessage.ClientStates.class, name = "client-states"),
		@JsonSubTypes.Type(value = ServerMessage.Incoming.class, name = "incoming"),
		@JsonSubTypes.Type(value = ServerMessage.CallStateChanged.class, name = "call-state"),
		@JsonSubTypes.Type(value = Negotiation.Sdp.class, name = "sdp"),
		@JsonSubTypes.Type(value = Negotiation.Ice.class, name = "ice"),
		@JsonSubTypes.Type(value = CallMessage.Text.class, name = "message"),
		@JsonSubTypes.Type(value = CallMessage.Dtmf.class, name = "dtmf"),
		@JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error") })
@JsonInclude(JsonInclude.Include.NON_NULL)
sealed interface ServerMessage permits ServerMessage.AccessGranted, ServerMessage.AccessDenied,
		ServerMessage.Resumed, ServerMessage.ResumeRefused, ServerMessage.RestartIce,
		ServerMessage.ClientStates, ServerMessage.Incoming, ServerMessage.CallStateChanged, ServerMessage.Error,
		Negotiation, CallMessage {

	/**
	 * Joined {@code line} as {@code phoneNumber}; {@code iceServers} and {@code iceTransportPolicy}
	 * ({@code all} or {@code relay}) go into every {@code RTCPeerConnection} of the client. With
	 * {@code resumeSecret} a new connection may take the number back for {@code resumeGraceMs} after
	 * this one is lost.
	 */
	record AccessGranted(String line, String phoneNumber, List<IceServer> iceServers, String iceTransportPolicy,
			String resumeSecret, Long resumeGraceMs) implements ServerMessage {
	}

	/**
	 * A lost connection's number is back on this one, with its call as it stands ({@code call} absent
	 * when it has none); the secret is new, the old one is spent.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Resumed(String line, String phoneNumber, List<IceServer> iceServers, String iceTransportPolicy,
			String resumeSecret, Long resumeGraceMs, ResumedCall call) implements ServerMessage {
	}

	/** The resumed client's call: its own id, the state it sees, the other party, who offers. */
	record ResumedCall(String callId, CallState state, String otherParty, boolean offerer) {
	}

	/** No number to take back: the secret is wrong, spent or expired. The client may {@code connect}. */
	record ResumeRefused(String reason) implements ServerMessage {
	}

	/** The other party of this connected call is back after a lost connection: make a new offer with an ICE restart. */
	record RestartIce(String callId) implements ServerMessage {
	}

	/** Not allowed on the line; the connection closes. */
	record AccessDenied(String reason) implements ServerMessage {
	}

	/**
	 * Other clients of the line came or went, or who is online.
	 * @param mode {@code full} with the list of everyone online, {@code watched} when the client is told
	 * only of the numbers it watches from now on, absent for changes
	 * @param clients a JSON array of {@link ClientState}s, encoded once for every client that gets it
	 */
	record ClientStates(String mode, @JsonRawValue String clients) implements ServerMessage {
	}

	/** One client's presence, an element of {@link ClientStates#clients()}. */
	record ClientState(String phoneNumber, Presence status,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> properties) {
	}

	/** A call for this client, ringing. */
	record Incoming(String callId, String from, CallType callType, Map<String, Object> properties)
			implements ServerMessage {
	}

	/**
	 * A call of this client changed state, or (with {@code redirect}) was forwarded or transferred: for
	 * the party that did it the call is over, for the party that stays {@code otherParty} is new.
	 * @param redirect {@link #FORWARDED} or {@link #TRANSFERRED} after a forward or transfer, else
	 * {@code null}; set by the server alone, unlike {@code reason}, which may quote the other party
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CallStateChanged(String callId, CallState state, String otherParty, String reason, Boolean offerer,
			String redirect) implements ServerMessage {

		static final String FORWARDED = "forwarded";

		static final String TRANSFERRED = "transferred";

	}

	/** The client's last message was refused; nothing else changed. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Error(ErrorCode code, String message, String callId) implements ServerMessage {
	}

}
