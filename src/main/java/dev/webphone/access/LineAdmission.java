package dev.webphone.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.webphone.line.AccessDeniedException;
import dev.webphone.line.LineProperties;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

/**
 * Decides which line a {@code connect} joins, and as whom. Its {@code line} field is a line name or a
 * token:
 * <ul>
 * <li>the name of an open line joins it; the name of a line that needs a token is refused;
 * <li>a static token joins the one line it is configured for (a token belongs to one line only);
 * <li>a JSON Web Token joins the line its line claim names, or the only line that accepts tokens;
 * its claims may fix the caller's number and display name.
 * </ul>
 * Anything else is taken as a line name, which the line itself may not know.
 */
@Service
@ConditionalOnEmbeddedLine
public class LineAdmission {

	private static final Pattern NUMBER = Pattern.compile("[0-9]{1,32}");

	private static final int MAX_NAME_LENGTH = 256;

	private final Set<String> lineNames;

	private final Map<String, AccessProperties.LineAccess> closedLines = new HashMap<>();

	/** Line by SHA-256 of its static tokens: a lookup that reveals nothing about a token by its timing. */
	private final Map<String, String> staticTokens = new HashMap<>();

	private final AccessProperties.Jwt jwtConfig;

	private final JwtTokens jwt;

	private final List<String> jwtLines;

	private final ExtensionLogins extensions;

	LineAdmission(AccessProperties access, LineProperties lines) {
		this.lineNames = lines.lines().stream().map(LineProperties.Spec::name).collect(Collectors.toUnmodifiableSet());
		this.extensions = new ExtensionLogins(lines);
		this.jwtConfig = access.jwt();
		for (AccessProperties.LineAccess line : access.lines()) {
			if (!this.lineNames.contains(line.name())) {
				throw new IllegalArgumentException("webphone.access.lines names '" + line.name()
						+ "', which is not one of webphone.lines " + this.lineNames);
			}
			if (line.tokens().isEmpty() && !line.jwt()) {
				throw new IllegalArgumentException("webphone.access.lines: '" + line.name()
						+ "' needs a token but accepts none: give it 'tokens' or 'jwt: true'");
			}
			if (line.jwt() && !this.jwtConfig.configured()) {
				throw new IllegalArgumentException("webphone.access.lines: '" + line.name() + "' accepts JSON Web "
						+ "Tokens, so set webphone.access.jwt.secret or webphone.access.jwt.jwk-set-uri");
			}
			this.closedLines.put(line.name(), line);
			for (String token : line.tokens()) {
				if (token.length() < 16 || this.lineNames.contains(token)) {
					throw new IllegalArgumentException("webphone.access.lines: the tokens of '" + line.name()
							+ "' must be at least 16 characters long and no line's name");
				}
				String previous = this.staticTokens.put(sha256(token), line.name());
				if (previous != null) {
					throw new IllegalArgumentException("webphone.access.lines: a token of '" + line.name()
							+ "' is also given for '" + previous + "'; a token must belong to one line");
				}
			}
		}
		this.jwtLines = access.lines().stream().filter(AccessProperties.LineAccess::jwt)
			.map(AccessProperties.LineAccess::name).toList();
		this.jwt = this.jwtConfig.configured() ? new JwtTokens(this.jwtConfig) : null;
	}

	/**
	 * Where and as whom a client joins.
	 * @param line the line to join
	 * @param number the number the client must have, or {@code null} for a new one
	 * @param properties what the client shows the other clients of the line
	 */
	public record Admission(String line, String number, Map<String, Object> properties) {

	}

	/**
	 * Decides where the client of a {@code connect} joins.
	 * @param lineOrToken the {@code line} field of {@code connect}
	 * @param properties the properties the page sent
	 * @throws AccessDeniedException with the reason the page is shown
	 */
	public Admission admit(String lineOrToken, Map<String, Object> properties) {
		return admit(lineOrToken, properties, null, null);
	}

	/**
	 * Decides where the client of a {@code connect} joins, as an extension when it names one.
	 * @param lineOrToken the {@code line} field of {@code connect}: for an extension, the line's name
	 * @param properties the properties the page sent
	 * @param extension the extension's number, or {@code null}
	 * @param password the extension's password
	 * @throws AccessDeniedException with the reason the page is shown
	 */
	public Admission admit(String lineOrToken, Map<String, Object> properties, String extension, String password) {
		if (extension != null) {
			if (!this.lineNames.contains(lineOrToken)) {
				throw new AccessDeniedException("An extension connects with its line's name; there is no webphone line '"
						+ lineOrToken + "'");
			}
			// The extension's password is its own right to the line, whether the line is open or not.
			this.extensions.check(lineOrToken, extension, (password != null) ? password : "");
			return new Admission(lineOrToken, extension, properties);
		}
		if (this.lineNames.contains(lineOrToken)) {
			if (this.closedLines.containsKey(lineOrToken)) {
				throw new AccessDeniedException("The webphone line '" + lineOrToken + "' needs a token: pass the "
						+ "token, not the line's name, as the second argument of connect()");
			}
			return new Admission(lineOrToken, null, properties);
		}
		String staticLine = this.staticTokens.get(sha256(lineOrToken));
		if (staticLine != null) {
			return new Admission(staticLine, null, properties);
		}
		if (JwtTokens.looksLikeJwt(lineOrToken)) {
			if (this.jwt == null) {
				throw new AccessDeniedException("This server accepts no JSON Web Tokens (webphone.access.jwt is not set)");
			}
			return admitJwt(this.jwt.decode(lineOrToken), properties);
		}
		return new Admission(lineOrToken, null, properties);
	}

	private Admission admitJwt(Jwt token, Map<String, Object> properties) {
		String line = token.getClaimAsString(this.jwtConfig.lineClaim());
		if (line == null) {
			if (this.jwtLines.size() != 1) {
				throw new AccessDeniedException("The token names no line (claim '" + this.jwtConfig.lineClaim() + "')");
			}
			line = this.jwtLines.get(0);
		}
		AccessProperties.LineAccess access = this.closedLines.get(line);
		if (access == null || !access.jwt()) {
			throw new AccessDeniedException("The token is for the line '" + line + "', which does not accept tokens");
		}
		String number = null;
		if (!this.jwtConfig.numberClaim().isEmpty() && token.hasClaim(this.jwtConfig.numberClaim())) {
			number = token.getClaimAsString(this.jwtConfig.numberClaim());
			if (!NUMBER.matcher(number).matches()) {
				throw new AccessDeniedException("The token's claim '" + this.jwtConfig.numberClaim()
						+ "' is not a phone number (1 to 32 digits)");
			}
			if (this.extensions.isExtension(line, number)) {
				throw new AccessDeniedException("The token's number " + number + " is an extension of the line '" + line
						+ "', which only its password may claim");
			}
		}
		Map<String, Object> shown = properties;
		if (!this.jwtConfig.nameClaim().isEmpty() && token.hasClaim(this.jwtConfig.nameClaim())) {
			String name = token.getClaimAsString(this.jwtConfig.nameClaim());
			shown = new LinkedHashMap<>(properties);
			// The token speaks for the caller: its name replaces whatever the page claimed.
			shown.put(this.jwtConfig.nameProperty(),
					(name.length() > MAX_NAME_LENGTH) ? name.substring(0, MAX_NAME_LENGTH) : name);
		}
		return new Admission(line, number, shown);
	}

	/** The lines anyone may join without a token, by name. */
	public List<String> openLines() {
		return this.lineNames.stream().filter((name) -> !this.closedLines.containsKey(name)).sorted().toList();
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java has SHA-256", ex);
		}
	}

}
