package dev.webphone.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code management.server.port}: health and Prometheus on a port of their own, which a firewall can
 * keep private, and gone from the public port but for the probes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ManagementPortIntegrationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void prometheusAndHealthAreOnTheManagementPortOnly() throws Exception {
		assertThat(send(this.managementPort, "GET", "/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(send(this.managementPort, "GET", "/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(send(this.port, "GET", "/actuator/prometheus").statusCode()).isEqualTo(404);
		assertThat(send(this.port, "GET", "/actuator/health").statusCode()).isEqualTo(404);
	}

	@Test
	void theMainPortKeepsTheProbesForOrchestrators() throws Exception {
		assertThat(send(this.port, "GET", "/livez").statusCode()).isEqualTo(200);
		assertThat(send(this.port, "GET", "/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void theManagementPortExposesNoConfigurationAndNoTrace() throws Exception {
		assertThat(send(this.managementPort, "GET", "/actuator/env").statusCode()).isEqualTo(404);
		assertThat(send(this.managementPort, "GET", "/actuator/heapdump").statusCode()).isEqualTo(404);
		assertThat(send(this.managementPort, "TRACE", "/actuator/health").statusCode()).isEqualTo(405);
	}

	private HttpResponse<String> send(int port, String method, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
