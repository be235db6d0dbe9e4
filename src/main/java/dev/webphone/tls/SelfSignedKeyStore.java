package dev.webphone.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A PKCS12 key store holding one self-signed server certificate, created when missing or expired
 * and otherwise left alone, so that a browser (or phone) told to trust it keeps trusting it across
 * restarts.
 */
final class SelfSignedKeyStore {

	/** The alias of the key entry, also named in the SSL bundle. */
	static final String ALIAS = "webphone";

	static final String FILE_NAME = "webphone-self-signed.p12";

	/** A certificate this close to expiry is replaced rather than served until it fails. */
	private static final Duration RENEW_BEFORE = Duration.ofDays(1);

	private final Path file;

	private final char[] password;

	private final Clock clock;

	SelfSignedKeyStore(Path directory, String password, Clock clock) {
		this.file = directory.resolve(FILE_NAME).toAbsolutePath().normalize();
		this.password = password.toCharArray();
		this.clock = clock;
	}

	Path file() {
		return this.file;
	}

	/**
	 * Makes sure the key store holds a valid certificate, generating one for the given names if
	 * there is none or it has (almost) expired.
	 * @param dnsNames host names for the certificate's subject alternative names
	 * @param addresses IP addresses for the certificate's subject alternative names
	 * @param validity how long a new certificate is valid
	 * @return the certificate in the key store and whether it was generated now
	 */
	Result ensure(Collection<String> dnsNames, Collection<InetAddress> addresses, Duration validity) {
		if (Files.exists(this.file)) {
			X509Certificate existing = load();
			if (existing.getNotAfter().toInstant().isAfter(this.clock.instant().plus(RENEW_BEFORE))) {
				return new Result(existing, false);
			}
		}
		X509Certificate generated = generate(dnsNames, addresses, validity);
		return new Result(generated, true);
	}

	private X509Certificate load() {
		try (InputStream in = Files.newInputStream(this.file)) {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(in, this.password);
			Certificate certificate = keyStore.getCertificate(ALIAS);
			if (!(certificate instanceof X509Certificate x509) || !keyStore.isKeyEntry(ALIAS)) {
				throw new IllegalStateException(this.file + " has no key entry '" + ALIAS + "'; delete it to have a new one generated");
			}
			return x509;
		}
		catch (IOException | GeneralSecurityException ex) {
			// Overwriting could destroy a key someone still needs: say what to do instead.
			throw new IllegalStateException("Cannot read " + this.file + " with webphone.tls.self-signed.key-store-password ("
					+ ex.getMessage() + "); fix the password or delete the file to have a new one generated", ex);
		}
	}

	private X509Certificate generate(Collection<String> dnsNames, Collection<InetAddress> addresses, Duration validity) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keyPair = generator.generateKeyPair();
			X509Certificate certificate = certificate(keyPair, dnsNames, addresses, validity);
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(null, null);
			keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), this.password, new Certificate[] { certificate });
			write(keyStore);
			return certificate;
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new IllegalStateException("Cannot generate a self-signed certificate in " + this.file, ex);
		}
	}

	private X509Certificate certificate(KeyPair keyPair, Collection<String> dnsNames, Collection<InetAddress> addresses,
			Duration validity) throws GeneralSecurityException, OperatorCreationException, IOException {
		Instant now = this.clock.instant();
		X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Webphone")
			.addRDN(BCStyle.CN, dnsNames.stream().filter((name) -> !name.equals("localhost")).findFirst().orElse("localhost"))
			.build();
		List<GeneralName> names = new ArrayList<>();
		dnsNames.forEach((name) -> names.add(new GeneralName(GeneralName.dNSName, name)));
		addresses.forEach((address) -> names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress())));
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
				new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
				// An hour of slack for clients whose clocks run a little behind ours.
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keyPair.getPublic());
		// Browsers ignore the common name and match only subject alternative names; Apple
		// platforms also insist on the serverAuth extended key usage.
		builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
		builder.addExtension(Extension.subjectKeyIdentifier, false,
				new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
	}

	private void write(KeyStore keyStore) throws IOException, GeneralSecurityException {
		Files.createDirectories(this.file.getParent());
		Path temporary = Files.createTempFile(this.file.getParent(), FILE_NAME, ".tmp");
		try {
			restrictToOwner(temporary);
			try (OutputStream out = Files.newOutputStream(temporary)) {
				keyStore.store(out, this.password);
			}
			// Readers never see a half-written key store, even if two instances start at once.
			try {
				Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void restrictToOwner(Path path) throws IOException {
		try {
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the directory's ACLs apply.
		}
	}

	/**
	 * The names a certificate is valid for, as strings: DNS names and IP addresses.
	 * @param certificate the certificate
	 * @return its subject alternative names
	 */
	static Set<String> subjectAlternativeNames(X509Certificate certificate) {
		Set<String> names = new LinkedHashSet<>();
		try {
			Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
			if (entries != null) {
				for (List<?> entry : entries) {
					names.add(String.valueOf(entry.get(1)));
				}
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalStateException(ex);
		}
		return names;
	}

	/**
	 * The outcome of {@link #ensure}.
	 *
	 * @param certificate the certificate now in the key store
	 * @param generated whether it was generated by this call rather than reused
	 */
	record Result(X509Certificate certificate, boolean generated) {
	}

}
