package dev.webphone.ice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our TURN REST credentials against a real coturn with {@code use-auth-secret}: coturn
 * recomputes the password itself, so agreement here means browsers will get relays.
 */
class IceServerProviderCoturnTests {

	private static final String SECRET = "coturn-test-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final CoturnExtension turn = CoturnExtension.withSecret(SECRET);

	@Test
	void allocationWithIssuedCredentialsSucceeds() {
		IceServer server = provider(SECRET, Clock.systemUTC()).iceServersFor("1001").get(0);
		Coturn.AllocationResult result = turn.coturn().allocate(server.username(), server.credential());
		assertThat(result.succeeded()).as("allocation as %s:%n%s%ncoturn:%n%s", server.username(), result.output(),
				turn.coturn().log()).isTrue();
	}

	@Test
	void allocationWithCredentialsFromAnotherSecretFails() {
		IceServer server = provider(SECRET + "-wrong", Clock.systemUTC()).iceServersFor("1001").get(0);
		Coturn.AllocationResult result = turn.coturn().allocate(server.username(), server.credential());
		assertThat(result.succeeded()).as(result.output()).isFalse();
		assertThat(result.output()).contains("Cannot complete Allocation");
	}

	@Test
	void allocationWithExpiredCredentialsFails() {
		// Issued two hours ago with a one-hour lifetime: the right secret, but past its expiry.
		Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
		IceServer server = provider(SECRET, twoHoursAgo, "1h").iceServersFor("1001").get(0);
		Coturn.AllocationResult result = turn.coturn().allocate(server.username(), server.credential());
		assertThat(result.succeeded()).as(result.output()).isFalse();
		assertThat(result.output()).contains("Cannot complete Allocation");
	}

	private static IceServerProvider provider(String secret, Clock clock) {
		return provider(secret, clock, "24h");
	}

	private static IceServerProvider provider(String secret, Clock clock, String ttl) {
		return new IceServerProvider(IceServerProviderTests.properties(Map.of("webphone.ice.servers[0].urls",
				String.join(",", turn.coturn().turnUrls()), "webphone.ice.servers[0].shared-secret", secret,
				"webphone.ice.servers[0].credential-ttl", ttl)), clock);
	}

}
