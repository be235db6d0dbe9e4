package dev.webphone.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in the "TURN REST API" scheme that coturn checks with
 * {@code use-auth-secret}: the server recomputes the password from the user name and the secret
 * it shares with us, and refuses a user name whose expiry time has passed.
 */
final class TurnRestCredentials {

	private static final String HMAC_SHA1 = "HmacSHA1";

	private TurnRestCredentials() {
	}

	/**
	 * The user name: the expiry as Unix seconds, a colon (coturn's default
	 * {@code rest-api-separator}), then the client id so that TURN logs and quotas name the client.
	 */
	static String username(Instant expiry, String clientId) {
		if (clientId == null || clientId.isBlank()) {
			throw new IllegalArgumentException("TURN credentials need a client id");
		}
		return expiry.getEpochSecond() + ":" + clientId;
	}

	/**
	 * The password: base64 of HMAC-SHA1 over the user name, keyed with the shared secret.
	 */
	static String password(String sharedSecret, String username) {
		try {
			Mac mac = Mac.getInstance(HMAC_SHA1);
			mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
			byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			// Every Java SE runtime must provide HmacSHA1, so this is a broken JVM, not bad input.
			throw new IllegalStateException("HmacSHA1 is not available", ex);
		}
	}

}
