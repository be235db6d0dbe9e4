package dev.webphone.ice;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides which ICE servers, with which credentials, a joining browser gets.
 */
@Component
public class IceServerProvider {

	private static final Logger logger = LoggerFactory.getLogger(IceServerProvider.class);

	private final List<IceProperties.Server> servers;

	private final Clock clock;

	@Autowired
	IceServerProvider(IceProperties properties) {
		this(properties, Clock.systemUTC());
	}

	IceServerProvider(IceProperties properties, Clock clock) {
		this.servers = List.copyOf(properties.servers());
		this.clock = clock;
		if (this.servers.isEmpty()) {
			logger.info("No ICE servers configured: calls work on one machine or a LAN only");
		}
		else {
			// Server.toString() masks passwords and secrets.
			logger.info("ICE servers handed to browsers: {}", this.servers);
		}
		if (properties.transportPolicy() == IceTransportPolicy.RELAY) {
			logger.info("ICE transport policy relay: all audio goes through the TURN servers");
		}
	}

	/**
	 * The ICE servers for one client.
	 * @param clientId a stable identifier of the client, used where credentials are issued per client
	 * @return the servers to put into the client's {@code RTCConfiguration}
	 */
	public List<IceServer> iceServersFor(String clientId) {
		Instant now = this.clock.instant();
		return this.servers.stream().map((server) -> iceServer(server, clientId, now)).toList();
	}

	private static IceServer iceServer(IceProperties.Server server, String clientId, Instant now) {
		if (server.issuesCredentials()) {
			String username = TurnRestCredentials.username(now.plus(server.credentialTtl()), clientId);
			return new IceServer(server.urls(), username, TurnRestCredentials.password(server.sharedSecret(), username));
		}
		return new IceServer(server.urls(), server.username(), server.credential());
	}

}
