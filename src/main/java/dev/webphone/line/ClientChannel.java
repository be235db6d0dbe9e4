package dev.webphone.line;

import java.util.List;
import java.util.Map;

import dev.webphone.ice.IceServer;

/**
 * Where the line sends what one client must learn. Implemented by the signalling transport; calls for
 * one client arrive in the order the line decided them.
 */
public interface ClientChannel {

	/** The client joined {@code line} as {@code phoneNumber}. */
	void accessGranted(String line, String phoneNumber, List<IceServer> iceServers);

	/**
	 * Other clients of the line came ({@link Presence#ONLINE}) or went ({@link Presence#OFFLINE}), or,
	 * right after access is granted, who is online. The same frame goes to many clients: send it as it
	 * is encoded once ({@link PresenceFrame#encoded}).
	 */
	void presence(PresenceFrame frame);

	/** A call for this client, ringing. */
	void incoming(String callId, String from, CallType callType, Map<String, Object> properties);

	/**
	 * The state of one of this client's calls changed.
	 * @param callId this client's own id of the call
	 * @param reason why the call ended, or {@code null}
	 * @param offerer with the first {@code IN_CALL}: whether this client creates the WebRTC offer;
	 * otherwise {@code null}
	 */
	void callState(String callId, CallState state, String otherParty, String reason, Boolean offerer);

	/**
	 * One of this client's calls was forwarded or transferred. To the party that did it the call is
	 * over ({@code COMPLETED}); to the party that stays it goes on under the same id, {@code RINGING}
	 * at its new other party.
	 * @param callId this client's own id of the call
	 * @param otherParty the other party now: the target for the party that stays, the party it left for
	 * the one that did it
	 */
	void redirected(String callId, CallState state, String otherParty, Redirect how);

	/**
	 * The other party of a connected call sent a session description or ICE candidate.
	 * @param callId this client's own id of the call
	 */
	void signal(String callId, MediaSignal signal);

	/**
	 * The other party of a connected call (in {@link CallState#IN_CALL} or {@link CallState#HOLD})
	 * sent a chat message or DTMF digits.
	 * @param callId this client's own id of the call
	 */
	void fromParty(String callId, PartyMessage message);

	/** A request of the client's was refused; nothing changed. */
	void refused(Refusal refusal);

	/**
	 * Where the client connects from, for the limits per address; empty when unknown or not to be
	 * limited.
	 */
	default String remoteAddress() {
		return "";
	}

	/**
	 * The other party of this client's connected call came back after a lost connection, and this
	 * client makes the offers: it should restart ICE so media finds its way again.
	 * @param callId this client's own id of the call
	 */
	void restartIce(String callId);

	/**
	 * This client's connection came back after a loss: before anything else the line sends it, what it
	 * needs to carry on.
	 */
	void resumed(Resumed resumed);

	/** Whether the client is online or gone. */
	enum Presence {
		ONLINE, OFFLINE
	}

}
