package dev.webphone.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The management server, when {@code management.server.port} gives it a port of its own: it is a
 * child context that gets none of the main context's filters, so it gets its own {@link NoTraceFilter}.
 * Listed in {@code META-INF/spring/...ManagementContextConfiguration.imports}; the condition keeps
 * component scanning from adding it to the main context, which has its own.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementPortConfiguration.InChildContext.class)
class ManagementPortConfiguration {

	@Bean
	NoTraceFilter managementNoTraceFilter() {
		return new NoTraceFilter();
	}

	static final class InChildContext implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
		}

	}

}
