package dev.webphone.line;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How presence is told on lines that have it ({@code webphone.presence.*}).
 *
 * @param window how long a line gathers presence changes before it sends them, all in one message to
 * each client; a client that comes and goes within one window is not announced at all
 * @param fullLimit how many clients a line may have before it stops telling every client about every
 * other and tells each only about the numbers it watches; it tells everyone again below 90% of it
 * @param joinBurst how many clients from one remote address may join within a moment, across all lines
 * @param joinsPerSecond how many clients from one remote address may join per second on average; 0 for no
 * limit
 */
@ConfigurationProperties("webphone.presence")
public record PresenceProperties(@DefaultValue("100ms") Duration window, @DefaultValue("5000") int fullLimit,
		@DefaultValue("100") int joinBurst, @DefaultValue("20") int joinsPerSecond) {

	public PresenceProperties {
		if (window.isNegative()) {
			throw new IllegalArgumentException("webphone.presence.window must not be negative");
		}
		if (fullLimit < 1) {
			throw new IllegalArgumentException("webphone.presence.full-limit must be positive");
		}
	}

	/** The defaults, for tests that build a switchboard by hand. */
	static PresenceProperties defaults() {
		return new PresenceProperties(Duration.ofMillis(100), 5000, 100, 20);
	}

}
