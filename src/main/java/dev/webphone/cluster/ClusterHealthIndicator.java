package dev.webphone.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code cluster}: whether this instance reaches Redis and knows which instance
 * leads. DOWN means new calls cannot be set up through this instance; calls already connected keep
 * their media, which never goes through an instance.
 */
final class ClusterHealthIndicator implements HealthIndicator {

	private final Leadership leadership;

	ClusterHealthIndicator(Leadership leadership) {
		this.leadership = leadership;
	}

	@Override
	public Health health() {
		Health.Builder health = (this.leadership.isRedisReachable() && this.leadership.leader() != null) ? Health.up()
				: Health.down();
		if (!this.leadership.isRedisReachable()) {
			health.withDetail("error", "Redis is unreachable");
		}
		return health.withDetail("instance", this.leadership.instanceId())
			.withDetail("leader", String.valueOf(this.leadership.leader()))
			.build();
	}

}
