package dev.webphone.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Active only in relay mode: {@code webphone.relay.upstream} names the phone system that browsers'
 * signalling is relayed to.
 *
 * @see ConditionalOnEmbeddedLine
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(WebphoneModeCondition.class)
public @interface ConditionalOnRelay {

}
