package dev.webphone.sip;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which numbers go to SIP, and where: the configured {@link SipProperties.Route routes}, tried in
 * order against a number the line's own dial plan has already routed. The first route for the line
 * whose pattern matches the whole number gives the SIP URI, its groups filled in.
 */
public final class SipDialPlan {

	private static final Pattern GROUP = Pattern.compile("\\$([1-9])");

	private final List<Compiled> routes;

	public SipDialPlan(List<SipProperties.Route> routes) {
		this.routes = routes.stream().map((route) -> new Compiled(Pattern.compile(route.match()), route)).toList();
	}

	/**
	 * Where a number dialled on a line goes.
	 * @param line the caller's line
	 * @param number the number after the line's dial plan
	 * @return the SIP target, empty when the number is not a SIP one (it is then a browser's)
	 */
	public Optional<SipTarget> route(String line, String number) {
		for (Compiled compiled : this.routes) {
			SipProperties.Route route = compiled.route;
			if (!route.line().isEmpty() && !route.line().equals(line)) {
				continue;
			}
			Matcher matcher = compiled.pattern.matcher(number);
			if (matcher.matches()) {
				return Optional.of(new SipTarget(fill(route.uri(), matcher), route));
			}
		}
		return Optional.empty();
	}

	/** Whether no route is configured: then no number is a SIP one. */
	public boolean isEmpty() {
		return this.routes.isEmpty();
	}

	private static String fill(String template, Matcher matcher) {
		StringBuilder uri = new StringBuilder();
		Matcher group = GROUP.matcher(template);
		while (group.find()) {
			// Only digits reach here (the wire checks what browsers dial), but a
			// group is quoted anyway: it is the caller's text, not part of the template.
			group.appendReplacement(uri, Matcher.quoteReplacement(matcher.group(Integer.parseInt(group.group(1)))));
		}
		group.appendTail(uri);
		return uri.toString();
	}

	/**
	 * Where a SIP call goes.
	 * @param uri the SIP URI to call
	 * @param route the route that sent it there: its trunk, if any, and credentials
	 */
	public record SipTarget(String uri, SipProperties.Route route) {

	}

	private record Compiled(Pattern pattern, SipProperties.Route route) {

	}

}
