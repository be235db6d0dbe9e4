package dev.webphone.access;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.webphone.relay.UpstreamPhoneSystem;
import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relay mode counts connections per address at the same handshake as the embedded line, before
 * anything is opened to the phone system.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.limits.connections-per-address=2", "webphone.limits.trusted-proxies=127.0.0.2" })
class RelayConnectionLimitIntegrationTests {

	@RegisterExtension
	static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();

	@DynamicPropertySource
	static void relayToTheUpstream(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", upstream::url);
	}

	@LocalServerPort
	int port;

	@Test
	void aBrowserBeyondTheLimitIsRefusedAndNeverReachesThePhoneSystem() throws Exception {
		InetAddress proxy = InetAddress.getByName("127.0.0.2");
		List<Handshake> open = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				open.add(Handshake.open(proxy, this.port, "198.51.100.7"));
				assertThat(open.get(i).status()).isEqualTo(101);
			}
			// The relay opens each browser's upstream connection once the browser's is open.
			await().atMost(SignalingClient.WAIT).until(() -> upstream.connectionCount() == 2);
			try (Handshake refused = Handshake.open(proxy, this.port, "198.51.100.7")) {
				assertThat(refused.status()).isEqualTo(429);
			}
			// Refused at the handshake, before the relay would open anything upstream.
			assertThat(upstream.connectionCount()).isEqualTo(2);
		}
		finally {
			for (Handshake handshake : open) {
				handshake.close();
			}
		}
	}

}
