package dev.webphone.sip;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to SIP phones through a Janus WebRTC gateway and its SIP plugin ({@code webphone.sip}).
 * Without a {@code janus-url} nothing of it is on: every number is a browser's, and no Janus is needed.
 *
 * @param janusUrl the Janus HTTP API, e.g. 'http://127.0.0.1:8088/janus'; empty: SIP is off
 * @param apiSecret Janus's 'api_secret', when it has one; empty for none
 * @param keepAlive how often each Janus session is sent a keep-alive; below Janus's session_timeout
 * (60 s by default), or Janus drops the session and its call
 * @param requestTimeout how long a request to Janus may take before the call it was for fails
 * @param routes which dialled numbers go to SIP, tried in order after the line's own dial plan; the first
 * whose pattern matches the whole number decides the SIP URI
 * @param registrations browser numbers that SIP phones can call: each is registered at a SIP registrar
 * under a SIP identity, and a call to that identity rings the browser with the number
 */
@ConfigurationProperties("webphone.sip")
public record SipProperties(@DefaultValue("") String janusUrl, @DefaultValue("") String apiSecret,
		@DefaultValue("25s") Duration keepAlive, @DefaultValue("5s") Duration requestTimeout,
		@DefaultValue List<Route> routes, @DefaultValue List<Registration> registrations) {

	@ConstructorBinding
	public SipProperties {
		janusUrl = (janusUrl != null) ? janusUrl.strip() : "";
		apiSecret = (apiSecret != null) ? apiSecret : "";
		if (!janusUrl.isEmpty()) {
			URI uri;
			try {
				uri = URI.create(janusUrl);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("webphone.sip.janus-url '" + janusUrl + "' is not a URL", ex);
			}
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
				throw new IllegalArgumentException(
						"webphone.sip.janus-url must be the http(s) URL of Janus's HTTP API, e.g. http://127.0.0.1:8088/janus");
			}
		}
		keepAlive = (keepAlive != null) ? keepAlive : Duration.ofSeconds(25);
		requestTimeout = (requestTimeout != null) ? requestTimeout : Duration.ofSeconds(5);
		if (keepAlive.isNegative() || keepAlive.isZero()) {
			throw new IllegalArgumentException("webphone.sip.keep-alive must be positive");
		}
		if (requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new IllegalArgumentException("webphone.sip.request-timeout must be positive");
		}
		routes = (routes != null) ? List.copyOf(routes) : List.of();
		registrations = (registrations != null) ? List.copyOf(registrations) : List.of();
		if (janusUrl.isEmpty() && !routes.isEmpty()) {
			throw new IllegalArgumentException("webphone.sip.routes need webphone.sip.janus-url: the gateway that calls them");
		}
		if (janusUrl.isEmpty() && !registrations.isEmpty()) {
			throw new IllegalArgumentException(
					"webphone.sip.registrations need webphone.sip.janus-url: the gateway that registers them");
		}
	}

	/** Calls out through Janus, none in. */
	public SipProperties(String janusUrl, String apiSecret, Duration keepAlive, Duration requestTimeout,
			List<Route> routes) {
		this(janusUrl, apiSecret, keepAlive, requestTimeout, routes, List.of());
	}

	/** SIP off: no Janus, no routes. */
	public SipProperties() {
		this("", "", Duration.ofSeconds(25), Duration.ofSeconds(5), List.of());
	}

	/**
	 * A browser number that SIP phones can call: Janus registers {@code uri} at the registrar, and a
	 * call to it rings the browser that has {@code number} on {@code line}.
	 *
	 * @param line the browser's line
	 * @param number the browser's number on that line, 1 to 32 digits
	 * @param uri the SIP identity registered, e.g. 'sip:1001@pbx.example.com'
	 * @param registrar where to register, e.g. 'sip:pbx.example.com:5060'
	 * @param username the user to authenticate as at the registrar; empty for the URI's user
	 * @param secret the password for the registrar
	 */
	public record Registration(String line, String number, String uri, String registrar,
			@DefaultValue("") String username, String secret) {

		private static final Pattern NUMBER = Pattern.compile("[0-9]{1,32}");

		private static final Pattern SIP_URI = Pattern.compile("sips?:[^\\s<>\"]+");

		@ConstructorBinding
		public Registration {
			if (line == null || line.isBlank()) {
				throw new IllegalArgumentException("webphone.sip.registrations[].line must not be empty");
			}
			if (number == null || !NUMBER.matcher(number).matches()) {
				throw new IllegalArgumentException("webphone.sip.registrations[].number must be 1 to 32 digits");
			}
			if (uri == null || !SIP_URI.matcher(uri).matches()) {
				throw new IllegalArgumentException("webphone.sip.registrations[].uri '" + uri
						+ "' must be a SIP URI such as sip:1001@pbx.example.com");
			}
			if (registrar == null || !SIP_URI.matcher(registrar).matches()) {
				throw new IllegalArgumentException("webphone.sip.registrations[].registrar '" + registrar
						+ "' must be a SIP URI such as sip:pbx.example.com:5060");
			}
			username = (username != null) ? username : "";
			if (secret == null || secret.isEmpty()) {
				throw new IllegalArgumentException("webphone.sip.registrations[].secret must not be empty");
			}
		}

		@Override
		public String toString() {
			// Never the secret.
			return "Registration[" + this.line + "/" + this.number + " as " + this.uri + " at " + this.registrar + "]";
		}

	}

	/** Whether SIP calls are configured at all. */
	public boolean isEnabled() {
		return !this.janusUrl.isEmpty();
	}

	/**
	 * One SIP route: numbers it matches are called at a SIP URI, directly or through a trunk.
	 *
	 * @param match a regular expression the whole dialled number must match, e.g. '9(\\d+)'
	 * @param uri the SIP URI to call; '$1', '$2' ... stand for the pattern's groups, e.g.
	 * 'sip:$1@pbx.example.com'
	 * @param line the line whose browsers may use the route; empty for every line
	 * @param proxy the trunk's outbound proxy, e.g. 'sip:pbx.example.com:5060'; empty to send the INVITE to
	 * the URI's host
	 * @param username the user to authenticate as at the trunk; empty when it asks for no credentials
	 * @param secret the password for 'username'
	 * @param fromUri the identity the call comes from, e.g. 'sip:webphone@pbx.example.com'; empty for a
	 * generated one on Janus's address
	 */
	public record Route(String match, String uri, @DefaultValue("") String line, @DefaultValue("") String proxy,
			@DefaultValue("") String username, @DefaultValue("") String secret, @DefaultValue("") String fromUri) {

		private static final Pattern GROUP = Pattern.compile("\\$([1-9])");

		private static final Pattern SIP_URI = Pattern.compile("sips?:[^\\s<>\"]+");

		@ConstructorBinding
		public Route {
			if (match == null || match.isEmpty()) {
				throw new IllegalArgumentException("webphone.sip.routes[].match must not be empty");
			}
			int groups;
			try {
				groups = Pattern.compile(match).matcher("").groupCount();
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException("webphone.sip.routes[].match '" + match
						+ "' is not a regular expression: " + ex.getDescription(), ex);
			}
			if (uri == null || !SIP_URI.matcher(uri).matches()) {
				throw new IllegalArgumentException("webphone.sip.routes[].uri '" + uri
						+ "' must be a SIP URI such as sip:$1@pbx.example.com");
			}
			Matcher group = GROUP.matcher(uri);
			while (group.find()) {
				if (Integer.parseInt(group.group(1)) > groups) {
					throw new IllegalArgumentException("webphone.sip.routes[].uri '" + uri + "' names $" + group.group(1)
							+ ", but '" + match + "' has " + groups + " group(s)");
				}
			}
			line = (line != null) ? line : "";
			proxy = (proxy != null) ? proxy : "";
			username = (username != null) ? username : "";
			secret = (secret != null) ? secret : "";
			fromUri = (fromUri != null) ? fromUri : "";
			if (!proxy.isEmpty() && !SIP_URI.matcher(proxy).matches()) {
				throw new IllegalArgumentException("webphone.sip.routes[].proxy '" + proxy
						+ "' must be a SIP URI such as sip:pbx.example.com:5060");
			}
			if (!fromUri.isEmpty() && !SIP_URI.matcher(fromUri).matches()) {
				throw new IllegalArgumentException("webphone.sip.routes[].from-uri '" + fromUri + "' must be a SIP URI");
			}
			if (username.isEmpty() != secret.isEmpty()) {
				throw new IllegalArgumentException(
						"webphone.sip.routes[].username and secret go together: a trunk that authenticates needs both");
			}
		}

		/** A route for every line, straight to the URI, without credentials. */
		public Route(String match, String uri) {
			this(match, uri, "", "", "", "", "");
		}

		@Override
		public String toString() {
			// Never the secret: routes end up in logs and failure messages.
			return "Route[" + this.match + " -> " + this.uri + ((this.line.isEmpty()) ? "" : " on " + this.line)
					+ ((this.proxy.isEmpty()) ? "" : " via " + this.proxy) + "]";
		}

	}

}
