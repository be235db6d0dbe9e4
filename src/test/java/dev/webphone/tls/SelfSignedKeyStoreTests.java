package dev.webphone.tls;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SelfSignedKeyStoreTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	@Test
	void generatesServerCertificateForTheGivenNames() throws Exception {
		SelfSignedKeyStore keyStore = new SelfSignedKeyStore(this.directory, "pw", Clock.fixed(NOW, ZoneOffset.UTC));
		SelfSignedKeyStore.Result result = keyStore.ensure(List.of("localhost", "demo-box"),
				List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("192.0.2.10")), Duration.ofDays(30));
		X509Certificate certificate = result.certificate();
		assertThat(result.generated()).isTrue();
		assertThat(Files.exists(keyStore.file())).isTrue();
		assertThat(SelfSignedKeyStore.subjectAlternativeNames(certificate))
			.containsExactlyInAnyOrder("localhost", "demo-box", "127.0.0.1", "192.0.2.10");
		assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
		assertThat(certificate.getBasicConstraints()).isEqualTo(-1); // not a CA
		assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
		certificate.verify(certificate.getPublicKey()); // self-signed
	}

	@Test
	void secondStartReusesTheSameCertificate() throws Exception {
		List<InetAddress> addresses = List.of(InetAddress.getByName("127.0.0.1"));
		X509Certificate first = new SelfSignedKeyStore(this.directory, "pw", Clock.fixed(NOW, ZoneOffset.UTC))
			.ensure(List.of("localhost"), addresses, Duration.ofDays(30))
			.certificate();
		byte[] fileAfterFirst = Files.readAllBytes(this.directory.resolve(SelfSignedKeyStore.FILE_NAME));
		// A later start, on a machine that meanwhile got another address.
		SelfSignedKeyStore.Result second = new SelfSignedKeyStore(this.directory, "pw",
				Clock.fixed(NOW.plus(Duration.ofDays(10)), ZoneOffset.UTC))
			.ensure(List.of("localhost"), List.of(InetAddress.getByName("192.0.2.99")), Duration.ofDays(30));
		assertThat(second.generated()).isFalse();
		assertThat(second.certificate().getEncoded()).isEqualTo(first.getEncoded());
		assertThat(Files.readAllBytes(this.directory.resolve(SelfSignedKeyStore.FILE_NAME))).isEqualTo(fileAfterFirst);
	}

	@Test
	void expiredCertificateIsReplaced() throws Exception {
		List<InetAddress> addresses = List.of(InetAddress.getByName("127.0.0.1"));
		X509Certificate first = new SelfSignedKeyStore(this.directory, "pw", Clock.fixed(NOW, ZoneOffset.UTC))
			.ensure(List.of("localhost"), addresses, Duration.ofDays(30))
			.certificate();
		SelfSignedKeyStore.Result later = new SelfSignedKeyStore(this.directory, "pw",
				Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC))
			.ensure(List.of("localhost"), addresses, Duration.ofDays(30));
		assertThat(later.generated()).isTrue();
		assertThat(later.certificate().getSerialNumber()).isNotEqualTo(first.getSerialNumber());
	}

	@Test
	void keyStoreThatCannotBeOpenedIsNotOverwritten() throws Exception {
		new SelfSignedKeyStore(this.directory, "pw", Clock.fixed(NOW, ZoneOffset.UTC)).ensure(List.of("localhost"),
				List.of(), Duration.ofDays(30));
		byte[] before = Files.readAllBytes(this.directory.resolve(SelfSignedKeyStore.FILE_NAME));
		assertThatIllegalStateException()
			.isThrownBy(() -> new SelfSignedKeyStore(this.directory, "other", Clock.fixed(NOW, ZoneOffset.UTC))
				.ensure(List.of("localhost"), List.of(), Duration.ofDays(30)))
			.withMessageContaining("delete the file");
		assertThat(Files.readAllBytes(this.directory.resolve(SelfSignedKeyStore.FILE_NAME))).isEqualTo(before);
	}

}
