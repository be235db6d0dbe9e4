package dev.webphone.access;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the start-up log warns of lines without a token: only when other machines can reach them
 * with a microphone (HTTPS, or a proxy in front), which plain HTTP or a loopback bind rule out.
 */
class OpenLinesWarningTests {

	@Test
	void httpsOnEveryInterfaceWithAnOpenLineIsWarnedOfByName() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.ssl.enabled", "true")
			.withProperty("server.ssl.bundle", "any");
		assertThat(OpenLinesWarning.warning(environment, List.of("Lobby", "Webphone1"))).startsWith("OPEN LINES")
			.contains("Lobby, Webphone1")
			.contains("webphone.access.lines");
	}

	@Test
	void plainHttpBehindAProxyIsWarnedOfToo() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.forward-headers-strategy", "native");
		assertThat(OpenLinesWarning.warning(environment, List.of("Webphone1"))).isNotNull();
	}

	@Test
	void noWarningWithoutAnOpenLine() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.ssl.enabled", "true")
			.withProperty("server.ssl.bundle", "any");
		assertThat(OpenLinesWarning.warning(environment, List.of())).isNull();
	}

	@Test
	void noWarningForALoopbackBind() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.ssl.enabled", "true")
			.withProperty("server.ssl.bundle", "any")
			.withProperty("server.address", "127.0.0.1");
		assertThat(OpenLinesWarning.warning(environment, List.of("Webphone1"))).isNull();
	}

	@Test
	void noWarningForPlainHttpWithoutAProxy() {
		assertThat(OpenLinesWarning.warning(new MockEnvironment(), List.of("Webphone1"))).isNull();
	}

}
