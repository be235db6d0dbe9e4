package dev.webphone.access;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may join which line ({@code webphone.access.*}). A line not listed here is open: anyone who
 * names it in 'connect()' joins it.
 *
 * @param lines the lines that need a token; every other line is open
 * @param jwt how JSON Web Tokens are checked, for the lines that accept them
 */
@ConfigurationProperties("webphone.access")
public record AccessProperties(@DefaultValue List<LineAccess> lines, @DefaultValue Jwt jwt) {

	/**
	 * A line that needs a token.
	 *
	 * @param name the line, as in 'webphone.lines[].name'
	 * @param tokens static tokens for this line: passing one as the second argument of 'connect()'
	 * joins this line; each must be unique to its line and at least 16 characters long
	 * @param jwt whether a JSON Web Token accepted by 'webphone.access.jwt' joins this line
	 */
	public record LineAccess(String name, @DefaultValue List<String> tokens, @DefaultValue("false") boolean jwt) {

	}

	/**
	 * How JSON Web Tokens are checked. Either or both of a shared secret (HS256/384/512) and an
	 * identity provider's JWK Set (RS*, ES*, PS*) may be set; a token is checked by the one its
	 * algorithm belongs to. Every token must carry an expiry ('exp').
	 *
	 * @param secret the shared secret of HMAC-signed tokens, at least 32 bytes; empty for none
	 * @param jwkSetUri where the identity provider publishes its public keys; empty for none
	 * @param jwkSetTimeout how long fetching the JWK Set may take before the token is refused
	 * @param issuer the issuer ('iss') tokens must name; empty to accept any
	 * @param audience the audience ('aud') tokens must include; empty to accept any
	 * @param lineClaim the claim naming the line a token joins; a token without it joins the one line
	 * that accepts tokens, if there is exactly one
	 * @param numberClaim the claim fixing the caller's number (digits only); empty to give every
	 * connection a new number as usual
	 * @param nameClaim the claim fixing the caller's display name, shown to others as the property
	 * 'name-property'; empty to leave the properties as the page sent them
	 * @param nameProperty the property the display name from 'name-claim' is shown as
	 */
	public record Jwt(@DefaultValue("") String secret, @DefaultValue("") String jwkSetUri,
			@DefaultValue("5s") Duration jwkSetTimeout, @DefaultValue("") String issuer,
			@DefaultValue("") String audience, @DefaultValue("line") String lineClaim,
			@DefaultValue("") String numberClaim, @DefaultValue("") String nameClaim,
			@DefaultValue("nickname") String nameProperty) {

		boolean configured() {
			return !this.secret.isEmpty() || !this.jwkSetUri.isEmpty();
		}

	}

}
