package dev.webphone.line;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The webphone lines of the embedded phone system ({@code webphone.lines}).
 *
 * @param lines the lines; one open line 'Webphone1' when none is configured, so that the
 * tutorial's 'connect(address, "Webphone1")' works out of the box
 */
@ConfigurationProperties("webphone")
public record LineProperties(List<Spec> lines) {

	public LineProperties {
		lines = (lines == null || lines.isEmpty())
				? List.of(new Spec("Webphone1", Duration.ofSeconds(60), "", true, 1001, 0)) : List.copyOf(lines);
	}

	/**
	 * One webphone line.
	 *
	 * @param name what browsers pass to 'connect()' to join the line
	 * @param ringTimeout how long a call may ring before it ends as 'NOT_ANSWERED'
	 * @param defaultRoute the number a call with an empty number goes to; none when empty
	 * @param presence whether clients are told who else is online (see webphone.presence.* for how)
	 * @param firstNumber the number the first client gets; each later connection gets the next one
	 * @param maxClients how many clients may be connected at once; 0 for no limit
	 */
	public record Spec(String name, @DefaultValue("60s") Duration ringTimeout, @DefaultValue("") String defaultRoute,
			@DefaultValue("true") boolean presence, @DefaultValue("1001") long firstNumber,
			@DefaultValue("0") int maxClients) {

		public Spec {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("webphone.lines[].name must not be empty");
			}
			if (ringTimeout.isNegative() || ringTimeout.isZero()) {
				throw new IllegalArgumentException("webphone.lines[].ring-timeout must be positive");
			}
		}

	}

}
