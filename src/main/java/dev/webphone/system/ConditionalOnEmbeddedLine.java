package dev.webphone.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Active only when this server is the phone system itself (the default): {@code webphone.relay.upstream}
 * is unset or empty.
 *
 * @see ConditionalOnRelay
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Documented
@Conditional(WebphoneModeCondition.class)
public @interface ConditionalOnEmbeddedLine {

}
