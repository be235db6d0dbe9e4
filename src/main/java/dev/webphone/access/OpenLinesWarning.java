package dev.webphone.access;

import java.net.InetAddress;
import java.util.List;

import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says loudly at start-up which lines anyone may join, when other machines can reach them with a
 * microphone: an idle tutorial page answers every call, so an open line on such a server lets any
 * visitor listen in on whoever leaves the page open.
 */
@Component
@ConditionalOnEmbeddedLine
class OpenLinesWarning implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(OpenLinesWarning.class);

	private final LineAdmission admission;

	OpenLinesWarning(LineAdmission admission) {
		this.admission = admission;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return; // the management server
		}
		String warning = warning(event.getApplicationContext().getEnvironment(), this.admission.openLines());
		if (warning != null) {
			logger.warn(warning);
		}
	}

	/**
	 * The warning for a server with these settings, or {@code null} when there is none to give: no open
	 * line, a loopback bind, or plain HTTP without a proxy in front (no microphone for other machines).
	 */
	static String warning(Environment environment, List<String> openLines) {
		Binder binder = Binder.get(environment);
		InetAddress bound = binder.bind("server.address", InetAddress.class).orElse(null);
		boolean reachable = bound == null || !bound.isLoopbackAddress();
		boolean https = Ssl.isEnabled(binder.bind("server.ssl", Ssl.class).orElse(null));
		String proxy = environment.getProperty("server.forward-headers-strategy", "none");
		if (openLines.isEmpty() || !reachable || (!https && proxy.equalsIgnoreCase("none"))) {
			return null;
		}
		return "OPEN LINES: anyone who can reach this server can join " + String.join(", ", openLines)
				+ " without a token and call its clients; an idle tutorial page answers every call. "
				+ "If that is not what you want, give each line a token (webphone.access.lines[n].name and "
				+ ".tokens or .jwt; see 'Who may join' in the README), or bind to loopback (server.address=127.0.0.1).";
	}

}
