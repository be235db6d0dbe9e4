package dev.webphone.sip;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import tools.jackson.databind.JsonNode;

/**
 * Health contributor {@code sip}: whether Janus answers its {@code info} and has the SIP plugin. While
 * it does not, SIP calls fail at once (browser-to-browser calls are untouched), so it is part of the
 * overall health but not of liveness or readiness: restarting this server would not bring Janus back,
 * and the server recovers on its own once Janus answers again.
 */
class SipHealthIndicator implements HealthIndicator {

	private final JanusClient janus;

	private final SipRegistrations registrations;

	private final long timeoutMillis;

	SipHealthIndicator(JanusClient janus, SipRegistrations registrations, long timeoutMillis) {
		this.janus = janus;
		this.registrations = registrations;
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public Health health() {
		Health.Builder health;
		try {
			JsonNode info = this.janus.info().get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			health = info.path("plugins").has(SipLeg.PLUGIN) ? Health.up()
					: Health.down().withDetail("error", "Janus has no SIP plugin (" + SipLeg.PLUGIN + ")");
		}
		catch (ExecutionException ex) {
			health = Health.down().withDetail("error", String.valueOf(ex.getCause().getMessage()));
		}
		catch (TimeoutException ex) {
			health = Health.down().withDetail("error", "no answer within " + this.timeoutMillis + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			health = Health.unknown();
		}
		return health.withDetail("janus", this.janus.url())
			.withDetail("sessions", this.janus.sessionCount())
			.withDetail("registrations", this.registrations.registeredCount() + " of " + this.registrations.size() + " up")
			.build();
	}

}
