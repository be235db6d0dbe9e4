package dev.webphone.edge;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session keeps no copy of the handshake headers, and is otherwise Spring's over the real Jetty
 * session.
 */
class HeaderlessJettySessionTests {

	@Test
	void keepsNoHeadersAndHandsOutTheRealSession() {
		Session jetty = jettySession(Map.of("Cookie", List.of("x".repeat(100)), "User-Agent", List.of("Chrome")));
		HeaderlessJettySession session = new HeaderlessJettySession(new HashMap<>());
		session.initializeNativeSession(jetty);
		assertThat(session.getHandshakeHeaders().isEmpty()).isTrue();
		assertThat(session.getUri()).isEqualTo(URI.create("ws://localhost/webphone/ws"));
		assertThat(session.getNativeSession()).isSameAs(jetty);
		assertThat(session.getNativeSession(Session.class)).isSameAs(jetty);
		assertThat(session.isOpen()).isTrue();
	}

	private static Session jettySession(Map<String, List<String>> headers) {
		ClassLoader loader = HeaderlessJettySessionTests.class.getClassLoader();
		UpgradeRequest request = (UpgradeRequest) Proxy.newProxyInstance(loader, new Class<?>[] { UpgradeRequest.class },
				(proxy, method, args) -> switch (method.getName()) {
					case "getHeaders" -> headers;
					case "getRequestURI" -> URI.create("ws://localhost/webphone/ws");
					default -> null;
				});
		UpgradeResponse response = (UpgradeResponse) Proxy.newProxyInstance(loader,
				new Class<?>[] { UpgradeResponse.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getExtensions" -> List.of();
					default -> null;
				});
		return (Session) Proxy.newProxyInstance(loader, new Class<?>[] { Session.class },
				(proxy, method, args) -> switch (method.getName()) {
					case "getUpgradeRequest" -> request;
					case "getUpgradeResponse" -> response;
					case "isOpen" -> true;
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "jetty session";
					default -> null;
				});
	}

}
