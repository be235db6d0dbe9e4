package dev.webphone.line;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
	 * @param dialPlan rules for the number a client dials, tried in order; the first whose pattern
	 * matches the whole number decides where the call goes; a number no rule matches is dialled as it is
	 * @param extensions fixed numbers that a browser claims with a password; the line never hands them
	 * out to anyone else
	 */
	public record Spec(String name, @DefaultValue("60s") Duration ringTimeout, @DefaultValue("") String defaultRoute,
			@DefaultValue("true") boolean presence, @DefaultValue("1001") long firstNumber,
			@DefaultValue("0") int maxClients, @DefaultValue List<DialRule> dialPlan,
			@DefaultValue List<Extension> extensions) {

		@ConstructorBinding
		public Spec {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("webphone.lines[].name must not be empty");
			}
			if (ringTimeout.isNegative() || ringTimeout.isZero()) {
				throw new IllegalArgumentException("webphone.lines[].ring-timeout must be positive");
			}
			dialPlan = (dialPlan != null) ? List.copyOf(dialPlan) : List.of();
			extensions = (extensions != null) ? List.copyOf(extensions) : List.of();
			Set<String> numbers = new HashSet<>();
			for (Extension extension : extensions) {
				if (!numbers.add(extension.number())) {
					throw new IllegalArgumentException("webphone.lines[" + name + "].extensions: the number "
							+ extension.number() + " is given twice");
				}
			}
		}

		/** A line without a dial plan or extensions. */
		public Spec(String name, Duration ringTimeout, String defaultRoute, boolean presence, long firstNumber,
				int maxClients) {
			this(name, ringTimeout, defaultRoute, presence, firstNumber, maxClients, List.of(), List.of());
		}

	}

	/**
	 * One rule of a line's dial plan.
	 *
	 * @param match a regular expression the whole dialled number must match, e.g. '0(\\d+)'
	 * @param to the number the call goes to; '$1', '$2' ... stand for the pattern's groups. Empty: the
	 * call is refused as 'NOT_FOUND'
	 */
	public record DialRule(String match, @DefaultValue("") String to) {

		private static final Pattern TO = Pattern.compile("([0-9*#+]|\\$[1-9])*");

		private static final Pattern GROUP = Pattern.compile("\\$([1-9])");

		public DialRule {
			if (match == null || match.isEmpty()) {
				throw new IllegalArgumentException("webphone.lines[].dial-plan[].match must not be empty");
			}
			int groups;
			try {
				groups = Pattern.compile(match).matcher("").groupCount();
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException("webphone.lines[].dial-plan[].match '" + match
						+ "' is not a regular expression: " + ex.getDescription(), ex);
			}
			to = (to != null) ? to : "";
			Matcher reference = TO.matcher(to);
			if (!reference.matches()) {
				throw new IllegalArgumentException("webphone.lines[].dial-plan[].to '" + to
						+ "' may hold only digits, '*', '#', '+' and the groups $1 to $9");
			}
			Matcher group = GROUP.matcher(to);
			while (group.find()) {
				if (Integer.parseInt(group.group(1)) > groups) {
					throw new IllegalArgumentException("webphone.lines[].dial-plan[].to '" + to + "' names $"
							+ group.group(1) + ", but '" + match + "' has " + groups + " group(s)");
				}
			}
		}

	}

	/**
	 * An extension: a fixed number a browser claims by connecting with the number and its password.
	 *
	 * @param number the extension's number, 1 to 32 digits
	 * @param password the password, stored encoded: '{bcrypt}$2a$...' (recommended), or '{noop}secret'
	 * for a test set-up
	 */
	public record Extension(String number, String password) {

		private static final Pattern NUMBER = Pattern.compile("[0-9]{1,32}");

		public Extension {
			if (number == null || !NUMBER.matcher(number).matches()) {
				throw new IllegalArgumentException("webphone.lines[].extensions[].number must be 1 to 32 digits");
			}
			if (password == null || !password.startsWith("{")) {
				throw new IllegalArgumentException("webphone.lines[].extensions[" + number + "].password must be "
						+ "encoded with its scheme: '{bcrypt}...' (or '{noop}...' for tests)");
			}
		}

		/** Leaves the password out: this record is logged and shown by configuration tools. */
		@Override
		public String toString() {
			return "Extension[number=" + this.number + "]";
		}

	}

}
