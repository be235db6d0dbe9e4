package dev.webphone.tls;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server on HTTPS with the generated certificate, reached by a client that trusts
 * exactly that certificate and checks host names as browsers do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webphone.tls.self-signed.enabled=true",
				// Resolved once by the post-processor, which then names the concrete file.
				"webphone.tls.self-signed.directory=${java.io.tmpdir}/webphone-tls-it-${random.uuid}" })
@ExtendWith(OutputCaptureExtension.class)
class SelfSignedTlsIntegrationTests {

	private static final String BUNDLE = "spring.ssl.bundle.jks.webphone-self-signed.";

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	@Test
	void servesHttpsWithTheGeneratedCertificateForLoopbackAddresses() throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(trustingOnly(generatedCertificate())).build();
		for (String host : new String[] { "127.0.0.1", "localhost" }) {
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("https://" + host + ":" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"status\":\"UP\"");
			SSLSession session = response.sslSession().orElseThrow();
			X509Certificate served = (X509Certificate) session.getPeerCertificates()[0];
			assertThat(served.getEncoded()).isEqualTo(generatedCertificate().getEncoded());
			assertThat(SelfSignedKeyStore.subjectAlternativeNames(served)).contains("127.0.0.1", "localhost");
		}
	}

	@Test
	void startupLogNamesTheHttpsUrlsToOpen(CapturedOutput output) {
		// This class's properties are its own, so its context (and that log line) started
		// while output was being captured.
		assertThat(output.getAll()).contains("https://localhost:" + this.port + "/");
	}

	@Test
	void startupLogWarnsThatTheDefaultLineIsOpenToOtherMachines(CapturedOutput output) {
		assertThat(output.getAll()).contains("OPEN LINES: anyone who can reach this server can join Webphone1");
	}

	@AfterAll
	static void deleteKeyStore(@Autowired Environment environment) throws Exception {
		Path file = Path.of(URI.create(environment.getProperty(BUNDLE + "keystore.location")));
		Files.deleteIfExists(file);
		Files.deleteIfExists(file.getParent());
	}

	private X509Certificate generatedCertificate() throws Exception {
		Path file = Path.of(URI.create(this.environment.getProperty(BUNDLE + "keystore.location")));
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(file)) {
			keyStore.load(in, this.environment.getProperty(BUNDLE + "keystore.password").toCharArray());
		}
		return (X509Certificate) keyStore.getCertificate(SelfSignedKeyStore.ALIAS);
	}

	private static SSLContext trustingOnly(X509Certificate certificate) throws Exception {
		KeyStore trustStore = KeyStore.getInstance("PKCS12");
		trustStore.load(null, null);
		trustStore.setCertificateEntry("webphone", certificate);
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context;
	}

}
