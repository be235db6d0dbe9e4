package dev.webphone.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the static pages next to this class on the classpath, for browser tests that need no Spring
 * server. Binds to 127.0.0.1, which browsers treat as a secure context, so getUserMedia works over
 * plain HTTP.
 *
 * <pre>{@code
 * try (TestPages pages = TestPages.start()) {
 *     browsers.open(pages.url("loopback.html"), tone);
 * }
 * }</pre>
 */
final class TestPages implements AutoCloseable {

	private final HttpServer server;

	private TestPages(HttpServer server) {
		this.server = server;
	}

	static TestPages start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", TestPages::serve);
			server.start();
			return new TestPages(server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String url(String page) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/" + page;
	}

	private static void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			String name = exchange.getRequestURI().getPath().substring(1);
			InputStream page = name.contains("/") ? null : TestPages.class.getResourceAsStream(name);
			if (page == null) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			byte[] body;
			try (page) {
				body = page.readAllBytes();
			}
			exchange.getResponseHeaders().set("Content-Type", contentType(name));
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private static String contentType(String name) {
		if (name.endsWith(".html")) {
			return "text/html; charset=utf-8";
		}
		return name.endsWith(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
