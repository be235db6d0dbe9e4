package dev.webphone.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Where the relay finds the upstream's script and signalling, given its base URL.
 */
class UpstreamTests {

	@Test
	void anHttpUpstreamIsReachedOverWs() {
		Upstream upstream = Upstream.of("http://pbx.example:7777");
		assertThat(upstream.http("/WebphoneAPI")).hasToString("http://pbx.example:7777/WebphoneAPI");
		assertThat(upstream.webSocket("/webphone/ws")).hasToString("ws://pbx.example:7777/webphone/ws");
	}

	@Test
	void anHttpsUpstreamIsReachedOverWssUnderItsPathPrefix() {
		Upstream upstream = Upstream.of(" https://example.com/phone/ ");
		assertThat(upstream.http("/WebphoneAPI")).hasToString("https://example.com/phone/WebphoneAPI");
		assertThat(upstream.webSocket("/webphone/ws")).hasToString("wss://example.com/phone/webphone/ws");
	}

	@Test
	void anIpv6UpstreamKeepsItsBrackets() {
		assertThat(Upstream.of("http://[::1]:7777").webSocket("/webphone/ws")).hasToString("ws://[::1]:7777/webphone/ws");
	}

	@Test
	void somethingThatIsNotABaseUrlStopsTheStartUpWithAReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("pbx.example:7777"))
			.withMessageContaining("webphone.relay.upstream");
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("ws://pbx.example:7777"))
			.withMessageContaining("http://");
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("http://pbx.example:7777/?line=1"));
	}

}
