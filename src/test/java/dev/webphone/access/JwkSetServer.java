package dev.webphone.access;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider's key endpoint for tests: a real HTTP server (the JDK's) publishing the public
 * half of a fresh RSA key as a JWK Set, as identity providers do at their {@code jwks_uri}.
 */
final class JwkSetServer implements AutoCloseable {

	private final HttpServer server;

	private final RSAKey key;

	private final AtomicInteger requests = new AtomicInteger();

	private JwkSetServer(HttpServer server, RSAKey key) {
		this.server = server;
		this.key = key;
	}

	static JwkSetServer start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("test-key").keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256).generate();
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			JwkSetServer jwks = new JwkSetServer(server, key);
			byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			server.createContext("/jwks.json", (exchange) -> {
				jwks.requests.incrementAndGet();
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return jwks;
		}
		catch (IOException | com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json";
	}

	/** The private key, which only the identity provider has. */
	RSAKey key() {
		return this.key;
	}

	int requests() {
		return this.requests.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
