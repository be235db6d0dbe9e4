package dev.webphone.relay;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Relayed paths that cannot work stop the start-up with a reason naming the setting. */
class RelayedPathsTests {

	@Test
	void theDefaultsRelayAWebphoneUpstreamsScriptAndSignalling() {
		RelayedPaths paths = RelayedPaths.of(List.of("/WebphoneAPI"), List.of("/webphone/ws"), "/WebphoneAPI");
		assertThat(paths.http()).containsExactly("/WebphoneAPI");
		assertThat(paths.webSocket()).containsExactly("/webphone/ws");
	}

	@Test
	void pathPatternsAreAccepted() {
		assertThat(RelayedPaths.of(List.of("/pbx/api.js", "/pbx/assets/**"), List.of("/pbx/{room}/socket"),
				"/pbx/api.js").http()).hasSize(2);
	}

	@Test
	void aScriptPathThatIsNotRelayedIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RelayedPaths.of(List.of("/pbx/api.js"), List.of("/webphone/ws"), "/WebphoneAPI"))
			.withMessageContaining("webphone.relay.script-path '/WebphoneAPI' must be one of");
	}

	@Test
	void somethingThatIsNotAPathIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RelayedPaths.of(List.of("WebphoneAPI"), List.of("/ws?x=1"), "WebphoneAPI"))
			.withMessageContaining("webphone.relay.http-paths 'WebphoneAPI' is not a path")
			.withMessageContaining("webphone.relay.websocket-paths '/ws?x=1' is not a path");
	}

	@Test
	void aPathRelayedBothWaysIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RelayedPaths.of(List.of("/a", "/b"), List.of("/b"), "/a"))
			.withMessageContaining("both as HTTP and as WebSocket");
	}

	@Test
	void onlyPathsThatMeanTheSameToEveryServerArePlain() {
		assertThat(RelayedPaths.isPlain("/pbx/assets/logo%20big.png")).isTrue();
		assertThat(RelayedPaths.isPlain("/webphone/ws")).isTrue();
		for (String path : new String[] { "/pbx/assets/../admin", "/pbx/assets/%2e%2e/admin", "/pbx/assets/..%2fadmin",
				"/pbx/assets/%2E%2E%2Fadmin", "/pbx/assets/..;/admin", "/pbx/assets/.%2e/admin", "/pbx/./x",
				"/pbx/assets/%252e%252e/admin", "/pbx/assets/a%2fb", "/pbx/assets/..%5cadmin", "/pbx//admin",
				"/pbx/assets/%zz" }) {
			assertThat(RelayedPaths.isPlain(path)).as(path).isFalse();
		}
	}

}
