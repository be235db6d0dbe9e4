package dev.webphone.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the container health check and a Prometheus scraper rely on, over plain HTTP (the default).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorIntegrationTests {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void healthIsUp() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void prometheusScrapeHasJvmMetrics() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void otherActuatorEndpointsAreNotExposed() throws Exception {
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
	}

	@Test
	void nothingThatShowsConfigurationBeansOrMemoryIsExposed() throws Exception {
		for (String endpoint : new String[] { "env", "configprops", "beans", "heapdump", "threaddump", "mappings",
				"loggers", "conditions", "scheduledtasks", "shutdown" }) {
			assertThat(get("/actuator/" + endpoint).statusCode()).as(endpoint).isEqualTo(404);
		}
		assertThat(get("/actuator").body()).doesNotContain("/env", "configprops", "heapdump");
	}

	@Test
	void healthShowsAnonymousCallersTheStatusOnly() throws Exception {
		String body = get("/actuator/health").body();
		assertThat(body).doesNotContain("components", "details", "diskSpace");
	}

	@Test
	void livenessAndReadinessHaveGroupsOfTheirOwn() throws Exception {
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/livez").statusCode()).isEqualTo(200);
		assertThat(get("/readyz").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
