package dev.webphone.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTPS options of our own ("webphone.tls.*"). Real certificates are configured the
 * standard Spring Boot way ("server.ssl.bundle" with "spring.ssl.bundle.*"); these
 * options only cover what Spring Boot does not do itself.
 *
 * @param selfSigned a generated self-signed certificate for demos on a LAN
 */
@ConfigurationProperties("webphone.tls")
public record TlsProperties(@DefaultValue SelfSigned selfSigned) {

	/**
	 * A self-signed certificate generated at first start-up and reused afterwards
	 * ("webphone.tls.self-signed.*"). Browsers only give pages on "https:" (or
	 * "localhost") access to the microphone, so a demo across a LAN needs HTTPS even
	 * without a certificate anyone trusts.
	 *
	 * @param enabled whether to serve HTTPS on "server.port" with the generated
	 * certificate; ignored, with a warning, when "server.ssl.bundle",
	 * "server.ssl.key-store" or "server.ssl.certificate" is set
	 * @param directory where the PKCS12 key store "webphone-self-signed.p12" is kept
	 * between restarts
	 * @param keyStorePassword password of that key store; what protects the key is the
	 * directory's file permissions, so change it only if the file is shared
	 * @param validity how long a newly generated certificate is valid; an expired one is
	 * replaced at start-up
	 * @param extraNames further host names or IP addresses to put in the certificate, for
	 * example the host's LAN address when the server runs in a container
	 */
	public record SelfSigned(@DefaultValue("false") boolean enabled, @DefaultValue("./data/tls") Path directory,
			@DefaultValue("webphone") String keyStorePassword, @DefaultValue("365d") Duration validity,
			@DefaultValue List<String> extraNames) {

		/**
		 * Describes the options without the key store password.
		 */
		@Override
		public String toString() {
			return "SelfSigned[enabled=" + this.enabled + ", directory=" + this.directory + ", validity="
					+ this.validity + ", extraNames=" + this.extraNames + "]";
		}

	}

}
