package dev.webphone.cluster;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several instances serving the embedded line together through Redis ({@code spring.data.redis.*}
 * says where it is). Off by default: one instance needs nothing else.
 *
 * @param enabled whether this instance joins a cluster
 * @param instanceId this instance's name in the cluster; unique, a random one by default
 * @param lease how long the leader holds the line without renewing (renewed three times per lease);
 * the longest a cluster goes without a leader when one is lost
 * @param streamLength about how many messages each instance's Redis stream keeps, whatever its reader
 * has taken: bounds Redis's memory when an instance stops reading
 */
@ConfigurationProperties("webphone.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled, String instanceId,
		@DefaultValue("5s") Duration lease, @DefaultValue("100000") long streamLength) {

	public ClusterProperties {
		if (instanceId == null || instanceId.isBlank()) {
			instanceId = UUID.randomUUID().toString();
		}
		if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
			throw new IllegalArgumentException(
					"webphone.cluster.instance-id must be 1 to 64 letters, digits, '.', '_' or '-': " + instanceId);
		}
		if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("webphone.cluster.lease must be at least 1s: " + lease);
		}
		if (streamLength < 1000) {
			throw new IllegalArgumentException("webphone.cluster.stream-length must be at least 1000: " + streamLength);
		}
	}

}
