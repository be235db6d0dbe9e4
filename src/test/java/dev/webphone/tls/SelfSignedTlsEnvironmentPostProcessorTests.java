package dev.webphone.tls;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedTlsEnvironmentPostProcessorTests {

	private static final Log logger = LogFactory.getLog(SelfSignedTlsEnvironmentPostProcessorTests.class);

	@TempDir
	Path directory;

	@Test
	void disabledByDefault() {
		StandardEnvironment environment = environment(Map.of("webphone.tls.self-signed.directory", this.directory.toString()));
		postProcess(environment);
		assertThat(environment.getPropertySources().contains(SelfSignedTlsEnvironmentPostProcessor.PROPERTY_SOURCE))
			.isFalse();
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void enabledConfiguresAnSslBundleForTheGeneratedKeyStore() throws Exception {
		StandardEnvironment environment = environment(enabled());
		postProcess(environment);
		assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("webphone-self-signed");
		assertThat(environment.getProperty("server.ssl.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("spring.ssl.bundle.jks.webphone-self-signed.keystore.type")).isEqualTo("PKCS12");
		X509Certificate certificate = certificate(environment);
		assertThat(SelfSignedKeyStore.subjectAlternativeNames(certificate)).contains("localhost", "demo-box",
				"127.0.0.1", "192.0.2.10", "203.0.113.5", "webphone.example.org");
	}

	@Test
	void secondStartReusesTheCertificate() throws Exception {
		StandardEnvironment first = environment(enabled());
		postProcess(first);
		StandardEnvironment second = environment(enabled());
		postProcess(second);
		assertThat(certificate(second).getEncoded()).isEqualTo(certificate(first).getEncoded());
	}

	@Test
	void explicitServerSslConfigurationIsLeftAlone() {
		Map<String, Object> properties = enabled();
		properties.put("server.ssl.bundle", "real");
		StandardEnvironment environment = environment(properties);
		postProcess(environment);
		assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("real");
		assertThat(environment.getPropertySources().contains(SelfSignedTlsEnvironmentPostProcessor.PROPERTY_SOURCE))
			.isFalse();
		assertThat(this.directory).isEmptyDirectory();
	}

	private Map<String, Object> enabled() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("webphone.tls.self-signed.enabled", "true");
		properties.put("webphone.tls.self-signed.directory", this.directory.toString());
		properties.put("webphone.tls.self-signed.extra-names", "203.0.113.5,webphone.example.org");
		return properties;
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private static void postProcess(StandardEnvironment environment) {
		new SelfSignedTlsEnvironmentPostProcessor((type) -> logger).postProcessEnvironment(environment,
				Clock.systemUTC(), () -> "demo-box", () -> {
			try {
				return Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("192.0.2.10"));
			}
			catch (java.net.UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static X509Certificate certificate(StandardEnvironment environment) throws Exception {
		String prefix = "spring.ssl.bundle.jks.webphone-self-signed.";
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(
				Path.of(URI.create(environment.getProperty(prefix + "keystore.location"))))) {
			keyStore.load(in, environment.getProperty(prefix + "keystore.password").toCharArray());
		}
		return (X509Certificate) keyStore.getCertificate(environment.getProperty(prefix + "key.alias"));
	}

}
