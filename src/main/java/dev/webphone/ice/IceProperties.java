package dev.webphone.ice;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * STUN and TURN servers handed to every browser when it joins a line ("webphone.ice.*").
 *
 * @param servers the servers, in the order the browser should try them; none by default, which is
 * enough on one machine or a LAN
 * @param transportPolicy which paths browsers may use for media: "all" (direct when possible, TURN
 * when not) or "relay" (always through a TURN server of "servers")
 */
@ConfigurationProperties("webphone.ice")
public record IceProperties(@DefaultValue List<Server> servers, @DefaultValue("all") IceTransportPolicy transportPolicy) {

	public IceProperties {
		servers = List.copyOf(servers);
		// Under relay policy a browser without a TURN server gathers no candidate at all: every
		// call would fail, so refuse to start instead.
		if (transportPolicy == IceTransportPolicy.RELAY
				&& servers.stream().noneMatch((server) -> server.urls().stream().anyMatch(Server::isTurnUrl))) {
			throw new IllegalArgumentException(
					"webphone.ice.transport-policy=relay needs a turn: or turns: server in webphone.ice.servers");
		}
	}

	/**
	 * One configured STUN or TURN server entry ("webphone.ice.servers[n].*"). A TURN entry
	 * carries either a static "username" and "credential", or a "shared-secret"
	 * from which short-lived credentials are issued per client (coturn "use-auth-secret").
	 *
	 * @param urls the server URLs, for example "stun:turn.example.org:3478" or
	 * "turn:turn.example.org:3478?transport=udp"
	 * @param username static TURN user name, given unchanged to every browser
	 * @param credential static TURN password, given unchanged to every browser
	 * @param sharedSecret secret shared with the TURN server ("static-auth-secret" in
	 * coturn); when set, every client gets its own user name "<unix-expiry>:<clientId>" and
	 * password "base64(HMAC-SHA1(secret, username))"
	 * @param credentialTtl how long credentials issued from the shared secret stay valid; a call
	 * that outlives them keeps its allocation, but the browser cannot make a new one
	 */
	public record Server(List<String> urls, String username, String credential, String sharedSecret,
			@DefaultValue("24h") Duration credentialTtl) {

		public Server {
			if (urls == null || urls.isEmpty()) {
				throw new IllegalArgumentException("webphone.ice.servers[].urls must name at least one URL");
			}
			urls = List.copyOf(urls);
			for (String url : urls) {
				if (!hasScheme(url, "stun:", "stuns:", "turn:", "turns:")) {
					throw new IllegalArgumentException(
							"ICE server URL '" + url + "' must start with stun:, stuns:, turn: or turns:");
				}
			}
			boolean staticCredentials = hasText(username) || hasText(credential);
			if (hasText(sharedSecret) && staticCredentials) {
				throw new IllegalArgumentException("ICE server " + urls
						+ " has both a shared-secret and a username/credential; use one or the other");
			}
			if (staticCredentials && !(hasText(username) && hasText(credential))) {
				throw new IllegalArgumentException("ICE server " + urls + " needs both username and credential");
			}
			// Browsers refuse the whole RTCConfiguration when a turn: URL comes without
			// credentials, so a mistake here would break every call, not just relaying.
			if (!hasText(sharedSecret) && !staticCredentials
					&& urls.stream().anyMatch((url) -> hasScheme(url, "turn:", "turns:"))) {
				throw new IllegalArgumentException(
						"TURN server " + urls + " needs a shared-secret or a username and credential");
			}
			if (credentialTtl == null || credentialTtl.isNegative() || credentialTtl.isZero()) {
				throw new IllegalArgumentException("ICE server " + urls + " needs a positive credential-ttl");
			}
		}

		boolean issuesCredentials() {
			return hasText(this.sharedSecret);
		}

		/**
		 * Describes the entry without its password or secret, so it is safe to log.
		 */
		@Override
		public String toString() {
			if (issuesCredentials()) {
				return "Server[urls=" + this.urls + ", sharedSecret=****, credentialTtl=" + this.credentialTtl + "]";
			}
			if (hasText(this.username)) {
				return "Server[urls=" + this.urls + ", username=" + this.username + ", credential=****]";
			}
			return "Server[urls=" + this.urls + "]";
		}

		static boolean isTurnUrl(String url) {
			return hasScheme(url, "turn:", "turns:");
		}

		private static boolean hasText(String value) {
			return value != null && !value.isBlank();
		}

		private static boolean hasScheme(String url, String... schemes) {
			String lower = url.toLowerCase(Locale.ROOT);
			for (String scheme : schemes) {
				if (lower.startsWith(scheme)) {
					return true;
				}
			}
			return false;
		}

	}

}
