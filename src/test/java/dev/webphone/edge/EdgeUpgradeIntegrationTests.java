package dev.webphone.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.webphone.signaling.SignalingClient;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's signalling WebSocket is upgraded by Jetty ahead of the servlet context: its handshake
 * passes no servlet filter (so it costs none of them, nor keeps a servlet request for the life of the
 * connection), while every other request to the same path still goes the servlet way.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "webphone.lines[0].name=Webphone1", "webphone.lines[0].presence=false" })
class EdgeUpgradeIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aBrowsersUpgradePassesNoServletFilterAndOtherRequestsStillDo() throws Exception {
		SeenByServlets.paths.clear();
		try (SignalingClient browser = SignalingClient.joined(this.port, "Webphone1")) {
			assertThat(browser.number()).isNotBlank();
		}
		assertThat(SeenByServlets.paths).doesNotContain("/webphone/ws");
		HttpResponse<String> plainGet = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/webphone/ws")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(plainGet.statusCode()).isEqualTo(400);
		assertThat(SeenByServlets.paths).contains("/webphone/ws");
	}

	/**
	 * With {@code server.forward-headers-strategy=framework} the forwarded headers are applied by a servlet
	 * filter, so upgrades go the servlet way, where the origin check sees them applied.
	 */
	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "webphone.lines[0].name=Webphone1", "webphone.lines[0].presence=false",
					"server.forward-headers-strategy=framework" })
	@Import(SeenByServlets.class)
	class WithForwardedHeadersAppliedByAFilter {

		@LocalServerPort
		int port;

		@Test
		void theUpgradeGoesThroughTheServletFilters() throws Exception {
			SeenByServlets.paths.clear();
			try (SignalingClient browser = SignalingClient.joined(this.port, "Webphone1")) {
				assertThat(browser.number()).isNotBlank();
			}
			assertThat(SeenByServlets.paths).contains("/webphone/ws");
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SeenByServlets {

		static final List<String> paths = new CopyOnWriteArrayList<>();

		@Bean
		OncePerRequestFilter seenByServlets() {
			return new OncePerRequestFilter() {
				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					paths.add(request.getRequestURI());
					chain.doFilter(request, response);
				}
			};
		}

	}

}
