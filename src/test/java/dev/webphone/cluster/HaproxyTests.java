package dev.webphone.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load balancer the cluster tests put in front of instances, and that {@code docs/deployment.md}
 * shows: it spreads requests over the instances and stops sending to one whose {@code /readyz} fails.
 */
class HaproxyTests {

	private final List<HttpServer> backends = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void requireHaproxy() {
		Haproxy.requireInstalled();
	}

	@AfterEach
	void stopBackends() {
		this.backends.forEach((server) -> server.stop(0));
	}

	@Test
	void spreadsRequestsAndLeavesOutAnInstanceThatIsNotReady() throws Exception {
		AtomicInteger readyStatusOfFirst = new AtomicInteger(200);
		HttpServer first = backend("first", readyStatusOfFirst);
		HttpServer second = backend("second", new AtomicInteger(200));
		try (Haproxy proxy = Haproxy.start(List.of(first.getAddress().getPort(), second.getAddress().getPort()))) {
			await().untilAsserted(() -> assertThat(answers(proxy, 6)).containsExactlyInAnyOrder("first", "second"));
			readyStatusOfFirst.set(503);
			await().untilAsserted(() -> assertThat(answers(proxy, 6)).containsExactly("second"));
		}
	}

	private Set<String> answers(Haproxy proxy, int requests) throws IOException, InterruptedException {
		Set<String> names = new HashSet<>();
		for (int i = 0; i < requests; i++) {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(proxy.url() + "/name")).build(),
					HttpResponse.BodyHandlers.ofString());
			names.add(response.body());
		}
		return names;
	}

	private HttpServer backend(String name, AtomicInteger readyStatus) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/readyz", (exchange) -> reply(exchange, readyStatus.get(), "ready?"));
		server.createContext("/name", (exchange) -> reply(exchange, 200, name));
		server.start();
		this.backends.add(server);
		return server;
	}

	private static void reply(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
