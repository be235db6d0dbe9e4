package dev.webphone.access;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jwt.JWTParser;
import dev.webphone.line.AccessDeniedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/**
 * Checks JSON Web Tokens with Spring Security's {@link NimbusJwtDecoder}: signature (a shared HMAC
 * secret, or the identity provider's keys from its JWK Set), expiry, and issuer and audience when
 * configured. A refusal says why in words a page can show.
 */
final class JwtTokens {

	private static final Log logger = LogFactory.getLog(JwtTokens.class);

	/** Three base64url parts: what a signed JWT looks like, and no line name does. */
	private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

	private static final String DECODE_PREFIX = "An error occurred while attempting to decode the Jwt: ";

	private final Map<MacAlgorithm, JwtDecoder> hmac = new EnumMap<>(MacAlgorithm.class);

	private final JwtDecoder jwkSet;

	JwtTokens(AccessProperties.Jwt config) {
		OAuth2TokenValidator<Jwt> validator = validator(config);
		if (!config.secret().isEmpty()) {
			byte[] secret = config.secret().getBytes(StandardCharsets.UTF_8);
			if (secret.length < 32) {
				throw new IllegalArgumentException("webphone.access.jwt.secret must be at least 32 bytes (256 bits)");
			}
			for (MacAlgorithm algorithm : MacAlgorithm.values()) {
				NimbusJwtDecoder decoder = NimbusJwtDecoder
					.withSecretKey(new SecretKeySpec(secret, algorithm.getName().replace("HS", "HmacSHA")))
					.macAlgorithm(algorithm)
					.build();
				decoder.setJwtValidator(validator);
				this.hmac.put(algorithm, decoder);
			}
		}
		if (!config.jwkSetUri().isEmpty()) {
			// Nimbus caches the keys and fetches them again for a key id it does not know; without time-outs a
			// silent identity provider would hold the joining browser's thread for ever.
			SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
			requests.setConnectTimeout(config.jwkSetTimeout());
			requests.setReadTimeout(config.jwkSetTimeout());
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(config.jwkSetUri())
				.jwsAlgorithms((algorithms) -> {
					for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
						algorithms.add(algorithm);
					}
				})
				.restOperations(new RestTemplate(requests))
				.build();
			decoder.setJwtValidator(validator);
			this.jwkSet = decoder;
		}
		else {
			this.jwkSet = null;
		}
	}

	private static OAuth2TokenValidator<Jwt> validator(AccessProperties.Jwt config) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		// A token without an expiry would admit its holder for ever.
		validators.add(new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull));
		if (!config.issuer().isEmpty()) {
			validators.add(new JwtClaimValidator<>(JwtClaimNames.ISS, config.issuer()::equals));
		}
		if (!config.audience().isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(audience) -> audience != null && audience.contains(config.audience())));
		}
		return JwtValidators.createDefaultWithValidators(validators);
	}

	/** Whether {@code value} has the shape of a signed JWT (it may still be a bad one). */
	static boolean looksLikeJwt(String value) {
		return COMPACT_JWS.matcher(value).matches();
	}

	/**
	 * The claims of a valid token.
	 * @throws AccessDeniedException saying why the token is not valid
	 */
	Jwt decode(String token) {
		JwtDecoder decoder = decoderFor(token);
		try {
			return decoder.decode(token);
		}
		catch (JwtValidationException ex) {
			String why = ex.getErrors().stream().map(JwtTokens::describe).collect(Collectors.joining("; "));
			throw new AccessDeniedException("The token was refused: " + why);
		}
		catch (BadJwtException ex) {
			throw new AccessDeniedException("The token was refused: " + withoutPrefix(ex.getMessage()));
		}
		catch (JwtException ex) {
			// The identity provider's keys could not be fetched: not the caller's fault, so the log says it too.
			logger.warn("A token could not be checked: " + withoutPrefix(ex.getMessage()));
			throw new AccessDeniedException("The token could not be checked now (the identity provider's keys are "
					+ "unavailable); try again later");
		}
	}

	private JwtDecoder decoderFor(String token) {
		String algorithm;
		try {
			algorithm = JWTParser.parse(token).getHeader().getAlgorithm().getName();
		}
		catch (ParseException | RuntimeException ex) {
			throw new AccessDeniedException("The token is malformed: it is not a signed JSON Web Token");
		}
		MacAlgorithm mac = MacAlgorithm.from(algorithm);
		JwtDecoder decoder = (mac != null) ? this.hmac.get(mac) : this.jwkSet;
		if (decoder == null || (mac == null && SignatureAlgorithm.from(algorithm) == null)) {
			throw new AccessDeniedException("The token was refused: this server does not accept tokens signed with "
					+ algorithm);
		}
		return decoder;
	}

	private static String describe(OAuth2Error error) {
		String description = error.getDescription();
		if (description != null && description.startsWith("Jwt expired")) {
			return "it has expired (" + description + ")";
		}
		if (description != null && description.contains(JwtClaimNames.EXP)) {
			return "it has no expiry ('exp' claim)";
		}
		return (description != null) ? description : error.getErrorCode();
	}

	private static String withoutPrefix(String message) {
		return (message != null && message.startsWith(DECODE_PREFIX)) ? message.substring(DECODE_PREFIX.length())
				: String.valueOf(message);
	}

}
