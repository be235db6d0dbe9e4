package dev.webphone.sip;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.webphone.line.Switchboard;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The {@code webphone.sip.registrations}: started with the server, each kept registered (and tried
 * again after a failure) until it stops.
 */
public final class SipRegistrations implements SmartLifecycle {

	private final List<SipRegistration> registrations;

	private final ScheduledExecutorService retries;

	private volatile boolean running;

	SipRegistrations(JanusClient janus, Switchboard switchboard, List<SipProperties.Registration> registrations) {
		this.retries = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("sip-registration-"));
		this.registrations = registrations.stream()
			.map((registration) -> new SipRegistration(janus, switchboard, registration, this.retries))
			.toList();
	}

	/** How many of the registrations are up now. */
	public int registeredCount() {
		return (int) this.registrations.stream().filter(SipRegistration::isRegistered).count();
	}

	/** How many registrations are configured. */
	public int size() {
		return this.registrations.size();
	}

	@Override
	public void start() {
		this.registrations.forEach(SipRegistration::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.retries.shutdownNow();
		this.registrations.forEach(SipRegistration::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
