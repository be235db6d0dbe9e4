package dev.webphone.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every response says about how a browser may use it.
 *
 * <p>The Content-Security-Policy lets a page run only our scripts: the script files of this server,
 * and the inline script of the tutorial's page, which carries a per-response nonce (request attribute
 * {@value #NONCE}). The tutorial's code stays verbatim, so the policy allows what it needs:
 * {@code 'unsafe-eval'} for its {@code setTimeout('begin()', 200)} and the hash of its
 * {@code onclick="hangUpCall()"}. Pages may not be framed (clickjacking of "Hang up") and send no
 * referrer. None of this stops {@code /WebphoneAPI} from being loaded by pages of other origins.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class SecurityHeadersFilter extends OncePerRequestFilter {

	/** The request attribute that holds the nonce of the response's inline scripts. */
	static final String NONCE = "cspNonce";

	/** The tutorial page's one inline event handler. */
	static final String TUTORIAL_ONCLICK = "hangUpCall()";

	private final SecureRandom random = new SecureRandom();

	private final PageProperties page;

	private final String onclickHash;

	SecurityHeadersFilter(PageProperties page) {
		this.page = page;
		this.onclickHash = "'sha256-" + sha256(TUTORIAL_ONCLICK) + "'";
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String nonce = Base64.getEncoder().encodeToString(bytes);
		request.setAttribute(NONCE, nonce);
		response.setHeader("Content-Security-Policy", policy(nonce, signallingHost(request)));
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "no-referrer");
		chain.doFilter(request, response);
	}

	private String policy(String nonce, String host) {
		// 'self' covers ws: and wss: to this origin; the page may be told to signal elsewhere
		// (webphone.page.server-address), or to its host on the script's port.
		String signalling = host.contains(":") ? "" : " ws://" + host + ":* wss://" + host + ":*";
		return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "' 'unsafe-eval' 'unsafe-hashes' "
				+ this.onclickHash + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
				+ signalling + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
	}

	private String signallingHost(HttpServletRequest request) {
		String address = this.page.serverAddress().isEmpty() ? request.getServerName() : this.page.serverAddress();
		int port = address.lastIndexOf(':');
		String host = (port > 0 && address.indexOf(':') == port) ? address.substring(0, port) : address;
		// Only a plain host name or IPv4 address makes a valid source expression.
		return host.matches("[A-Za-z0-9.-]+") ? host : ":";
	}

	private static String sha256(String text) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java has SHA-256", ex);
		}
	}

}
