package dev.webphone.line;

import java.util.List;

import dev.webphone.ice.IceServer;

/**
 * What a client whose connection came back needs to carry on; see {@link Switchboard#resumed}.
 *
 * @param iceServers fresh ICE servers (TURN credentials may have expired meanwhile)
 * @param call its call as it stands, or {@code null} when it is in none
 */
public record Resumed(List<IceServer> iceServers, CallView call) {

	/**
	 * One party's view of its call.
	 *
	 * @param callId this party's own id of the call
	 * @param state the state this party sees
	 * @param otherParty the other party's number
	 * @param offerer whether this party makes the WebRTC offers, and so restarts ICE
	 */
	public record CallView(String callId, CallState state, String otherParty, boolean offerer) {
	}

}
