package dev.webphone.ice;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Decides which ICE servers, with which credentials, a joining browser gets.
 */
@Component
public class IceServerProvider {

	private final List<IceServer> servers;

	IceServerProvider(IceProperties properties) {
		this.servers = properties.servers();
	}

	/**
	 * The ICE servers for one client.
	 * @param clientId a stable identifier of the client, used where credentials are issued per client
	 * @return the servers to put into the client's {@code RTCConfiguration}
	 */
	public List<IceServer> iceServersFor(String clientId) {
		return servers;
	}

}
