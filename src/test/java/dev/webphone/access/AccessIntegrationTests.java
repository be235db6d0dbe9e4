package dev.webphone.access;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.webphone.signaling.OpenClients;
import dev.webphone.signaling.SignalingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may join which line, and how much one client may take, over real WebSocket connections: an open
 * line, a line with a static token, lines that take JSON Web Tokens (an HMAC secret, and an identity
 * provider's RSA keys fetched from a real JWK Set endpoint), connections per address (also behind a
 * trusted proxy) and call attempts per minute.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.lines[0].name=Webphone1", "webphone.lines[1].name=Sales",
				"webphone.lines[2].name=Support", "webphone.lines[3].name=Partners",
				"webphone.access.lines[0].name=Sales", "webphone.access.lines[0].tokens=" + AccessIntegrationTests.SALES_TOKEN,
				"webphone.access.lines[1].name=Support", "webphone.access.lines[1].jwt=true",
				"webphone.access.lines[2].name=Partners", "webphone.access.lines[2].jwt=true",
				"webphone.access.jwt.secret=" + AccessIntegrationTests.SECRET,
				"webphone.access.jwt.number-claim=phone", "webphone.access.jwt.name-claim=name",
				"webphone.limits.connections-per-address=3", "webphone.limits.trusted-proxies=127.0.0.2",
				"webphone.limits.call-attempts-per-minute=3" })
class AccessIntegrationTests {

	static final String SALES_TOKEN = "sales-0123456789abcdef";

	static final String SECRET = "a shared secret of at least 32 bytes, for HS256";

	static final JwkSetServer identityProvider = JwkSetServer.start();

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("webphone.access.jwt.jwk-set-uri", identityProvider::uri);
	}

	@AfterAll
	static void stopIdentityProvider() {
		identityProvider.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ConnectionLimit connectionLimit;

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Test
	void anOpenLineNeedsNoToken() throws Exception {
		SignalingClient client = this.clients.join("Webphone1");
		assertThat(client.firstMessage().path("line").asString()).isEqualTo("Webphone1");
	}

	@Test
	void theNameOfALineThatNeedsATokenIsNotEnough() throws Exception {
		assertThat(deniedReason("Sales")).contains("needs a token");
	}

	@Test
	void aStaticTokenJoinsItsLine() throws Exception {
		SignalingClient client = connect(SALES_TOKEN);
		assertThat(client.await("access-granted").path("line").asString()).isEqualTo("Sales");
	}

	@Test
	void aWrongStaticTokenIsDenied() throws Exception {
		assertThat(deniedReason("sales-0123456789abcdeX")).isNotBlank();
	}

	@Test
	void anHmacTokenJoinsTheLineItNamesWithTheNumberAndNameItFixes() throws Exception {
		SignalingClient ann = this.clients.add(SignalingClient.open(this.port));
		// The page claims another name: the token's wins.
		ann.send(Map.of("type", "connect", "line", hmac(SECRET, claims("Support", "5550001", "Ann"), inAMinute()),
				"properties", Map.of("nickname", "Mallory")));
		JsonNode granted = ann.await("access-granted");
		assertThat(granted.path("line").asString()).isEqualTo("Support");
		assertThat(granted.path("phoneNumber").asString()).isEqualTo("5550001");
		SignalingClient bob = connect(hmac(SECRET, claims("Support", "5550002", "Bob"), inAMinute()));
		bob.await("access-granted");
		JsonNode annSeenByBob = bob.awaitClientState("5550001", "ONLINE");
		assertThat(annSeenByBob.path("properties").path("nickname").asString()).isEqualTo("Ann");
	}

	@Test
	void anExpiredTokenIsDenied() throws Exception {
		String expired = hmac(SECRET, claims("Support", null, null), Instant.now().minus(Duration.ofMinutes(5)));
		assertThat(deniedReason(expired)).contains("expired");
	}

	@Test
	void aTokenSignedWithAnotherSecretIsDenied() throws Exception {
		String forged = hmac("another secret of at least 32 bytes, for HS256", claims("Support", null, null), inAMinute());
		assertThat(deniedReason(forged)).contains("signature");
	}

	@Test
	void aTokenWithoutExpiryIsDenied() throws Exception {
		assertThat(deniedReason(hmac(SECRET, claims("Support", null, null), null))).contains("expiry");
	}

	@Test
	void aTokenForALineThatTakesNoTokensIsDenied() throws Exception {
		assertThat(deniedReason(hmac(SECRET, claims("Webphone1", null, null), inAMinute())))
			.contains("does not accept tokens");
		assertThat(deniedReason(hmac(SECRET, claims("Sales", null, null), inAMinute())))
			.contains("does not accept tokens");
	}

	@Test
	void aTokenThatNamesNoLineIsDeniedWhenSeveralLinesTakeTokens() throws Exception {
		assertThat(deniedReason(hmac(SECRET, claims(null, null, null), inAMinute()))).contains("names no line");
	}

	@Test
	void aNumberInUseIsRefusedAndFreeAgainOnceItsHolderLeaves() throws Exception {
		String token = hmac(SECRET, claims("Support", "5550100", null), inAMinute());
		SignalingClient first = connect(token);
		first.await("access-granted");
		assertThat(deniedReason(token)).contains("5550100").contains("already in use");
		first.close();
		await().atMost(SignalingClient.WAIT).untilAsserted(() -> {
			try (SignalingClient again = SignalingClient.open(this.port)) {
				again.send(Map.of("type", "connect", "line", token));
				assertThat(again.await("access-granted").path("phoneNumber").asString()).isEqualTo("5550100");
			}
		});
	}

	@Test
	void newNumbersSkipANumberATokenHolds() throws Exception {
		SignalingClient holder = connect(hmac(SECRET, claims("Partners", "1002", null), inAMinute()));
		assertThat(holder.await("access-granted").path("phoneNumber").asString()).isEqualTo("1002");
		List<String> numbers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			SignalingClient client = connect(hmac(SECRET, claims("Partners", null, null), inAMinute()));
			numbers.add(client.await("access-granted").path("phoneNumber").asString());
		}
		assertThat(numbers).containsExactly("1001", "1003");
	}

	@Test
	void aTokenSignedByTheIdentityProvidersKeyJoins() throws Exception {
		String token = rsa(identityProvider.key(), claims("Support", null, null));
		assertThat(connect(token).await("access-granted").path("line").asString()).isEqualTo("Support");
		assertThat(identityProvider.requests()).isPositive();
	}

	@Test
	void aTokenSignedByAnotherKeyWithTheSameKeyIdIsDenied() throws Exception {
		RSAKey impostor = new RSAKeyGenerator(2048).keyID(identityProvider.key().getKeyID()).generate();
		assertThat(deniedReason(rsa(impostor, claims("Support", null, null)))).contains("signature");
	}

	@Test
	void connectionsPerAddressAreLimitedAndGivenBackOnClose() throws Exception {
		InetAddress proxy = InetAddress.getByName("127.0.0.2");
		InetAddress client = InetAddress.getByName("198.51.100.7");
		List<Handshake> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				open.add(Handshake.open(proxy, this.port, "198.51.100.7"));
				assertThat(open.get(i).status()).isEqualTo(101);
			}
			try (Handshake refused = Handshake.open(proxy, this.port, "198.51.100.7")) {
				assertThat(refused.status()).isEqualTo(429);
			}
			try (Handshake other = Handshake.open(proxy, this.port, "198.51.100.8")) {
				assertThat(other.status()).as("another client behind the same proxy").isEqualTo(101);
			}
		}
		finally {
			for (Handshake handshake : open) {
				handshake.close();
			}
		}
		await().atMost(SignalingClient.WAIT).until(() -> this.connectionLimit.openConnections(client) == 0);
		try (Handshake again = Handshake.open(proxy, this.port, "198.51.100.7")) {
			assertThat(again.status()).isEqualTo(101);
		}
	}

	@Test
	void theForwardedAddressOfAnUntrustedPeerIsIgnored() throws Exception {
		List<Handshake> open = new ArrayList<>();
		try {
			// 127.0.0.1 is not a trusted proxy: these count against 127.0.0.1 (unlimited), not 198.51.100.9.
			for (int i = 0; i < 5; i++) {
				open.add(Handshake.open(InetAddress.getByName("127.0.0.1"), this.port, "198.51.100.9"));
				assertThat(open.get(i).status()).isEqualTo(101);
			}
			assertThat(this.connectionLimit.openConnections(InetAddress.getByName("198.51.100.9"))).isZero();
			// A proxy's own, unforwarded request counts against the proxy's address (loopback: unlimited).
			try (Handshake direct = Handshake.open(InetAddress.getByName("127.0.0.2"), this.port, null)) {
				assertThat(direct.status()).isEqualTo(101);
			}
		}
		finally {
			for (Handshake handshake : open) {
				handshake.close();
			}
		}
	}

	@Test
	void callAttemptsPerMinuteAreLimitedWhileTheCallInProgressGoesOn() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		ann.send(Map.of("type", "dial", "callId", "c1", "to", bob.number()));
		bob.await("incoming");
		bob.send(Map.of("type", "accept", "callId", "c1"));
		ann.awaitCallState("c1", "IN_CALL");
		for (String callId : List.of("c2", "c3")) {
			// Refused as a second call, but counted: the limit is on attempts.
			ann.send(Map.of("type", "dial", "callId", callId, "to", bob.number()));
			assertThat(ann.await("error", (m) -> callId.equals(m.path("callId").asString())).path("code").asString())
				.isEqualTo("INVALID_STATE");
		}
		ann.send(Map.of("type", "dial", "callId", "c4", "to", bob.number()));
		JsonNode limited = ann.await("error", (m) -> "c4".equals(m.path("callId").asString()));
		assertThat(limited.path("code").asString()).isEqualTo("RATE_LIMITED");
		assertThat(limited.path("message").asString()).contains("3 call attempts a minute");
		// The call in progress is untouched: negotiation passes, and hanging up ends it for both.
		ann.send(Map.of("type", "sdp", "callId", "c1", "description", Map.of("type", "offer", "sdp", "v=0")));
		assertThat(bob.await("sdp").path("callId").asString()).isEqualTo("c1");
		bob.send(Map.of("type", "hangup", "callId", "c1"));
		ann.awaitCallState("c1", "COMPLETED");
		// Others still dial.
		SignalingClient carol = this.clients.join("Webphone1");
		carol.send(Map.of("type", "dial", "callId", "x1", "to", bob.number()));
		carol.awaitCallState("x1", "RINGING");
	}

	private SignalingClient connect(String lineOrToken) throws Exception {
		SignalingClient client = this.clients.add(SignalingClient.open(this.port));
		client.send(Map.of("type", "connect", "line", lineOrToken));
		return client;
	}

	/** Connects with {@code lineOrToken}, expecting to be denied; returns the reason. */
	private String deniedReason(String lineOrToken) throws Exception {
		SignalingClient client = connect(lineOrToken);
		String reason = client.await("access-denied").path("reason").asString();
		assertThat(client.awaitClosed().getCode()).isEqualTo(1008);
		return reason;
	}

	private static Instant inAMinute() {
		return Instant.now().plus(Duration.ofMinutes(1));
	}

	private static Map<String, Object> claims(String line, String phone, String name) {
		Map<String, Object> claims = new HashMap<>();
		claims.put("sub", "user-" + System.nanoTime());
		if (line != null) {
			claims.put("line", line);
		}
		if (phone != null) {
			claims.put("phone", phone);
		}
		if (name != null) {
			claims.put("name", name);
		}
		return claims;
	}

	private static String hmac(String secret, Map<String, Object> claims, Instant expiry) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claimSet(claims, expiry));
		jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

	private static String rsa(RSAKey key, Map<String, Object> claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				claimSet(claims, inAMinute()));
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static JWTClaimsSet claimSet(Map<String, Object> claims, Instant expiry) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
		claims.forEach(builder::claim);
		if (expiry != null) {
			builder.expirationTime(Date.from(expiry));
		}
		return builder.build();
	}

}
