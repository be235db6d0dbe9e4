package dev.webphone.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

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
 * <p>The Content-Security-Policy lets a page run only our scripts. Our own pages (the softphone, the
 * video call page, the start page) have no inline script or style at all, and get a strict policy:
 * script files of this server (and of the configured {@code WebphoneAPI} script's origin) only. The
 * tutorial's voice call page carries the tutorial's code verbatim, inline, so its policy also allows the inline scripts that carry the
 * per-response nonce (request attribute {@value #NONCE}) and what the tutorial's code needs:
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

	/** The pages that carry the tutorial's inline code; every other page gets the strict policy. */
	static final Set<String> TUTORIAL_PAGES = Set.of("/voicecall");

	private final SecureRandom random = new SecureRandom();

	private final PageProperties page;

	private final String onclickHash;

	private final String scriptOrigin;

	SecurityHeadersFilter(PageProperties page) {
		this.page = page;
		this.onclickHash = "'sha256-" + sha256(TUTORIAL_ONCLICK) + "'";
		this.scriptOrigin = scriptOrigin(page.scriptUrl());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String nonce = Base64.getEncoder().encodeToString(bytes);
		request.setAttribute(NONCE, nonce);
		response.setHeader("Content-Security-Policy", TUTORIAL_PAGES.contains(request.getRequestURI())
				? tutorialPolicy(nonce, signallingHost(request)) : strictPolicy(signallingHost(request)));
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "no-referrer");
		chain.doFilter(request, response);
	}

	private String tutorialPolicy(String nonce, String host) {
		return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "' 'unsafe-eval' 'unsafe-hashes' "
				+ this.onclickHash + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
				+ signalling(host) + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
	}

	private String strictPolicy(String host) {
		return "default-src 'self'; script-src 'self'" + this.scriptOrigin + "; style-src 'self'; img-src 'self' data:; "
				+ "connect-src 'self'" + signalling(host)
				+ "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
	}

	/**
	 * 'self' covers ws: and wss: to this origin; the page may be told to signal elsewhere
	 * (webphone.page.server-address), or to its host on the script's port.
	 */
	private static String signalling(String host) {
		return host.contains(":") ? "" : " ws://" + host + ":* wss://" + host + ":*";
	}

	/** The origin of a WebphoneAPI script configured on another server, as a source expression. */
	private static String scriptOrigin(String scriptUrl) {
		try {
			URI uri = URI.create(scriptUrl);
			if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
					&& uri.getHost().matches("[A-Za-z0-9.-]+")) {
				return " " + uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "");
			}
		}
		catch (IllegalArgumentException ex) {
			// A relative or odd reference: the page's own origin serves it.
		}
		return "";
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
