package dev.webphone.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Active only when this instance serves the embedded line in a cluster: {@code webphone.cluster.enabled}
 * and no relay upstream.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnEmbeddedLine
@ConditionalOnBooleanProperty("webphone.cluster.enabled")
public @interface ConditionalOnCluster {

}
