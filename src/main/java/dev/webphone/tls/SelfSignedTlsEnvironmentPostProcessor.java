package dev.webphone.tls;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

import dev.webphone.system.LocalAddresses;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code webphone.tls.self-signed.enabled=true} into standard Spring Boot SSL configuration:
 * makes sure the self-signed key store exists, then adds a JKS-style SSL bundle for it and points
 * {@code server.ssl.bundle} at it, so the web server's own SSL support does the serving. Runs as an
 * environment post-processor because the web server reads its SSL settings before any bean of ours
 * could create the key store.
 */
class SelfSignedTlsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/** The SSL bundle's name, under {@code spring.ssl.bundle.jks}. */
	static final String BUNDLE = "webphone-self-signed";

	static final String PROPERTY_SOURCE = "webphoneSelfSignedTls";

	private static final List<String> EXPLICIT_SSL = List.of("server.ssl.bundle", "server.ssl.key-store",
			"server.ssl.certificate");

	private final Log logger;

	SelfSignedTlsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(SelfSignedTlsEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		postProcessEnvironment(environment, Clock.systemUTC(), LocalAddresses::hostName, LocalAddresses::addresses);
	}

	/**
	 * The post-processing, with the machine's clock, host name and addresses supplied by the
	 * caller, so tests can pin them.
	 */
	void postProcessEnvironment(ConfigurableEnvironment environment, Clock clock, Supplier<String> hostName,
			Supplier<Set<InetAddress>> addresses) {
		Binder binder = Binder.get(environment);
		TlsProperties.SelfSigned options = binder.bindOrCreate("webphone.tls.self-signed", TlsProperties.SelfSigned.class);
		if (!options.enabled()) {
			return;
		}
		List<String> explicit = EXPLICIT_SSL.stream().filter((name) -> binder.bind(name, String.class).isBound()).toList();
		if (!explicit.isEmpty()) {
			this.logger.warn("webphone.tls.self-signed.enabled is ignored: " + explicit
					+ " configures the server's certificate already");
			return;
		}
		Set<String> dnsNames = new LinkedHashSet<>();
		dnsNames.add("localhost");
		Set<InetAddress> ipAddresses = new LinkedHashSet<>(addresses.get());
		String host = hostName.get();
		if (host != null) {
			dnsNames.add(host);
		}
		for (String extra : options.extraNames()) {
			if (isIpLiteral(extra)) {
				ipAddresses.add(parseIpLiteral(extra));
			}
			else {
				dnsNames.add(extra);
			}
		}
		SelfSignedKeyStore keyStore = new SelfSignedKeyStore(options.directory(), options.keyStorePassword(), clock);
		SelfSignedKeyStore.Result result = keyStore.ensure(dnsNames, ipAddresses, options.validity());
		Set<String> certified = SelfSignedKeyStore.subjectAlternativeNames(result.certificate());
		if (result.generated()) {
			this.logger.info("Generated a self-signed certificate in " + keyStore.file() + " for " + certified);
		}
		else {
			this.logger.info("Reusing the self-signed certificate in " + keyStore.file() + " for " + certified
					+ ", valid until " + result.certificate().getNotAfter().toInstant());
			List<String> missing = new ArrayList<>(dnsNames);
			ipAddresses.forEach((address) -> missing.add(address.getHostAddress()));
			missing.removeAll(certified);
			if (!missing.isEmpty()) {
				// Replacing it silently would break clients told to trust the old one.
				this.logger.warn("The self-signed certificate does not name " + missing
						+ " (the machine's addresses changed?); delete " + keyStore.file() + " to have a new one generated");
			}
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, sslProperties(keyStore, options)));
	}

	private static Map<String, Object> sslProperties(SelfSignedKeyStore keyStore, TlsProperties.SelfSigned options) {
		String bundle = "spring.ssl.bundle.jks." + BUNDLE;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(bundle + ".keystore.location", keyStore.file().toUri().toString());
		properties.put(bundle + ".keystore.password", options.keyStorePassword());
		properties.put(bundle + ".keystore.type", "PKCS12");
		properties.put(bundle + ".key.alias", SelfSignedKeyStore.ALIAS);
		properties.put("server.ssl.bundle", BUNDLE);
		properties.put("server.ssl.enabled", "true");
		return properties;
	}

	private static boolean isIpLiteral(String name) {
		return name.matches("[0-9.]+") || name.contains(":");
	}

	private static InetAddress parseIpLiteral(String literal) {
		try {
			// A literal is parsed, never looked up, so this cannot block on DNS.
			return InetAddress.getByName(literal.replace("[", "").replace("]", ""));
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalArgumentException("webphone.tls.self-signed.extra-names: '" + literal
					+ "' is not a valid IP address", ex);
		}
	}

}
