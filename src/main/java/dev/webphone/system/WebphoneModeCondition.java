package dev.webphone.system;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Which of the two modes the server runs in: relay mode when {@value #UPSTREAM} names a phone system,
 * the embedded line otherwise. An empty value counts as unset, so that a deployment can switch back by
 * clearing the variable rather than removing it.
 */
final class WebphoneModeCondition extends SpringBootCondition {

	static final String UPSTREAM = "webphone.relay.upstream";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String upstream = context.getEnvironment().getProperty(UPSTREAM, "");
		boolean relay = StringUtils.hasText(upstream);
		boolean wantsRelay = metadata.isAnnotated(ConditionalOnRelay.class.getName());
		String mode = relay ? "relay mode (" + UPSTREAM + "=" + upstream + ")" : "embedded line (" + UPSTREAM + " unset)";
		return new ConditionOutcome(relay == wantsRelay, "Webphone runs as " + mode);
	}

}
