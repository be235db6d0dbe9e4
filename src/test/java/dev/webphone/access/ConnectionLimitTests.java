package dev.webphone.access;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which address a connection counts against: the peer's, or behind trusted proxies the first address
 * in {@code X-Forwarded-For}, read from the right, that no trusted proxy has.
 */
class ConnectionLimitTests {

	private final ConnectionLimit limit = new ConnectionLimit(
			new LimitsProperties(10, List.of("127.0.0.0/8"), List.of("10.0.0.0/8", "192.0.2.1"), 20));

	@Test
	void anUntrustedPeerIsCountedItselfWhateverItForwards() throws Exception {
		assertThat(addressOf("203.0.113.5", "198.51.100.1")).isEqualTo(InetAddress.getByName("203.0.113.5"));
	}

	@Test
	void aTrustedProxyIsCountedForTheClientItForwards() throws Exception {
		assertThat(addressOf("10.1.2.3", "198.51.100.1")).isEqualTo(InetAddress.getByName("198.51.100.1"));
	}

	@Test
	void aChainOfTrustedProxiesIsFollowedToTheFirstUntrustedHop() throws Exception {
		// The client wrote the first entry itself: only what our proxies appended is believed.
		assertThat(addressOf("10.1.2.3", "1.2.3.4, 198.51.100.1, 192.0.2.1"))
			.isEqualTo(InetAddress.getByName("198.51.100.1"));
	}

	@Test
	void garbageInTheHeaderIsNotBelievedNorLookedUp() throws Exception {
		assertThat(addressOf("10.1.2.3", "evil.example")).isEqualTo(InetAddress.getByName("10.1.2.3"));
		assertThat(addressOf("10.1.2.3", "evil.example, 198.51.100.2")).isEqualTo(InetAddress.getByName("198.51.100.2"));
	}

	@Test
	void aTrustedProxyWithoutTheHeaderIsCountedItself() throws Exception {
		assertThat(addressOf("10.1.2.3", null)).isEqualTo(InetAddress.getByName("10.1.2.3"));
	}

	private InetAddress addressOf(String peer, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/webphone/ws");
		request.setRemoteAddr(peer);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return this.limit.clientAddress(new ServletServerHttpRequest(request));
	}

}
