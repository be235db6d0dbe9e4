package dev.webphone.relay;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code upstream}: whether the phone system serves its {@code WebphoneAPI} script.
 * It shares the script's cache, so checking health often costs the upstream at most one request per
 * {@code webphone.relay.script-cache-time}.
 */
class UpstreamHealthIndicator implements HealthIndicator {

	private final UpstreamScript script;

	private final long timeoutMillis;

	UpstreamHealthIndicator(UpstreamScript script, long timeoutMillis) {
		this.script = script;
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public Health health() {
		Health.Builder health;
		try {
			this.script.get().get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			health = Health.up();
		}
		catch (ExecutionException ex) {
			health = Health.down().withDetail("error", String.valueOf(ex.getCause()));
		}
		catch (TimeoutException ex) {
			health = Health.down().withDetail("error", "no answer within " + this.timeoutMillis + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			health = Health.unknown();
		}
		return health.withDetail("upstream", this.script.upstream().base().toString()).build();
	}

}
