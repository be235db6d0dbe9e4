package dev.webphone.ice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class IceServerProviderTests {

	private static final Instant NOW = Instant.parse("2023-11-14T22:13:20Z"); // 1700000000

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void stunAndStaticTurnServersAreHandedOutUnchanged() {
		IceServerProvider provider = provider(Map.of(
				"webphone.ice.servers[0].urls", "stun:stun.example.org:3478",
				"webphone.ice.servers[1].urls", "turn:turn.example.org:3478?transport=udp",
				"webphone.ice.servers[1].username", "demo",
				"webphone.ice.servers[1].credential", "demo-password"));
		assertThat(provider.iceServersFor("1001")).containsExactly(
				new IceServer(List.of("stun:stun.example.org:3478"), null, null),
				new IceServer(List.of("turn:turn.example.org:3478?transport=udp"), "demo", "demo-password"));
	}

	@Test
	void sharedSecretIssuesPerClientCredentialsValidForTheDefaultDay() {
		IceServerProvider provider = provider(Map.of(
				"webphone.ice.servers[0].urls", "turn:turn.example.org:3478?transport=udp,turn:turn.example.org:3478?transport=tcp",
				"webphone.ice.servers[0].shared-secret", "webphone-test-secret"));
		IceServer server = provider.iceServersFor("1001").get(0);
		long expiry = NOW.plus(Duration.ofHours(24)).getEpochSecond();
		assertThat(server.urls()).containsExactly("turn:turn.example.org:3478?transport=udp",
				"turn:turn.example.org:3478?transport=tcp");
		assertThat(server.username()).isEqualTo(expiry + ":1001");
		assertThat(server.credential())
			.isEqualTo(TurnRestCredentials.password("webphone-test-secret", expiry + ":1001"));
		assertThat(provider.iceServersFor("1002").get(0).username()).isEqualTo(expiry + ":1002");
	}

	@Test
	void credentialTtlIsConfigurable() {
		IceServerProvider provider = provider(Map.of(
				"webphone.ice.servers[0].urls", "turn:turn.example.org:3478",
				"webphone.ice.servers[0].shared-secret", "s",
				"webphone.ice.servers[0].credential-ttl", "10m"));
		// 1700000000 + 600, checked by hand against the openssl vector's time base
		assertThat(provider.iceServersFor("1001").get(0).username()).isEqualTo("1700000600:1001");
	}

	@Test
	void environmentVariablesBindTheWayComposeSetsThem() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("WEBPHONE_ICE_SERVERS_0_URLS", "stun:203.0.113.7:3478",
						"WEBPHONE_ICE_SERVERS_1_URLS",
						"turn:203.0.113.7:3478?transport=udp,turn:203.0.113.7:3478?transport=tcp",
						"WEBPHONE_ICE_SERVERS_1_SHAREDSECRET", "from-env",
						"WEBPHONE_ICE_SERVERS_1_CREDENTIALTTL", "1h", "WEBPHONE_ICE_TRANSPORTPOLICY", "relay")));
		IceProperties properties = new Binder(ConfigurationPropertySources.from(sources))
			.bindOrCreate("webphone.ice", IceProperties.class);
		assertThat(properties.servers()).hasSize(2);
		assertThat(properties.servers().get(1).urls()).hasSize(2);
		assertThat(properties.servers().get(1).sharedSecret()).isEqualTo("from-env");
		assertThat(properties.servers().get(1).credentialTtl()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.transportPolicy()).isEqualTo(IceTransportPolicy.RELAY);
	}

	@Test
	void secretsStayOutOfToStringAndLogs(CapturedOutput output) {
		IceServerProvider provider = provider(Map.of(
				"webphone.ice.servers[0].urls", "turn:a.example.org:3478",
				"webphone.ice.servers[0].shared-secret", "very-secret-value",
				"webphone.ice.servers[1].urls", "turn:b.example.org:3478",
				"webphone.ice.servers[1].username", "demo",
				"webphone.ice.servers[1].credential", "static-password"));
		List<IceServer> servers = provider.iceServersFor("1001");
		assertThat(output).contains("turn:a.example.org:3478").contains("turn:b.example.org:3478")
			.doesNotContain("very-secret-value").doesNotContain("static-password");
		assertThat(servers.toString()).doesNotContain(servers.get(0).credential()).doesNotContain("static-password");
		assertThat(properties(Map.of("webphone.ice.servers[0].urls", "turn:a.example.org:3478",
				"webphone.ice.servers[0].shared-secret", "very-secret-value"))
			.toString()).doesNotContain("very-secret-value");
	}

	@Test
	void turnWithoutCredentialsIsRefusedAtStartUp() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> properties(Map.of("webphone.ice.servers[0].urls", "turn:turn.example.org:3478")))
			.havingRootCause()
			.withMessageContaining("needs a shared-secret or a username and credential");
	}

	@Test
	void sharedSecretAndStaticCredentialsTogetherAreRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> properties(Map.of("webphone.ice.servers[0].urls", "turn:turn.example.org:3478",
					"webphone.ice.servers[0].shared-secret", "s", "webphone.ice.servers[0].username", "u",
					"webphone.ice.servers[0].credential", "c")))
			.havingRootCause()
			.withMessageContaining("use one or the other");
	}

	@Test
	void urlWithoutIceSchemeIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> properties(Map.of("webphone.ice.servers[0].urls", "turn.example.org:3478")))
			.havingRootCause()
			.withMessageContaining("must start with stun:");
	}

	@Test
	void transportPolicyIsAllUnlessRelayIsConfigured() {
		assertThat(properties(Map.of()).transportPolicy()).isEqualTo(IceTransportPolicy.ALL);
		IceProperties relay = properties(Map.of("webphone.ice.transport-policy", "relay",
				"webphone.ice.servers[0].urls", "stun:turn.example.org:3478",
				"webphone.ice.servers[1].urls", "turn:turn.example.org:3478",
				"webphone.ice.servers[1].shared-secret", "s"));
		assertThat(relay.transportPolicy()).isEqualTo(IceTransportPolicy.RELAY);
		assertThat(relay.transportPolicy().value()).isEqualTo("relay");
	}

	@Test
	void relayPolicyWithoutTurnServerIsRefusedAtStartUp() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> properties(Map.of("webphone.ice.transport-policy", "relay",
					"webphone.ice.servers[0].urls", "stun:turn.example.org:3478")))
			.havingRootCause()
			.withMessageContaining("transport-policy=relay needs a turn: or turns: server");
	}

	private static IceServerProvider provider(Map<String, Object> properties) {
		return new IceServerProvider(properties(properties), CLOCK);
	}

	static IceProperties properties(Map<String, Object> properties) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new MapPropertySource("test", properties));
		return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("webphone.ice", IceProperties.class);
	}

}
