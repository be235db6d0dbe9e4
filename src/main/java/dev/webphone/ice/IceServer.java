package dev.webphone.ice;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a browser's {@code RTCConfiguration.iceServers}: a STUN or TURN server, with the
 * credentials the browser presents to it (TURN only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IceServer(List<String> urls, String username, String credential) {

	public IceServer {
		urls = List.copyOf(urls);
	}

	/**
	 * Describes the server without its password, so it is safe to log.
	 */
	@Override
	public String toString() {
		return "IceServer[urls=" + this.urls + ", username=" + this.username + ", credential="
				+ ((this.credential != null) ? "****" : null) + "]";
	}

}
