package dev.webphone.relay;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A phone system that is not this project: a plain Jetty server with paths and messages of its own, to
 * show that the relay passes on whatever its configured paths carry, and nothing else.
 * <ul>
 * <li>{@code /pbx/client.js}: its client script;</li>
 * <li>{@code /pbx/assets/*}: text naming the path and query, with caching headers and headers that must
 * not reach browsers ({@code Set-Cookie}, {@code X-Pbx-Internal}); {@code /pbx/assets/missing} is 404,
 * {@code /pbx/assets/moved} redirects to {@code /pbx/assets/here}, {@code /pbx/assets/huge} is 1 MB;</li>
 * <li>{@code /pbx/admin}: what must stay out of reach;</li>
 * <li>{@code /pbx/socket} and {@code /pbx/rooms/*}: a WebSocket that answers text with {@code pbx says <text> (query <query>)}
 * and returns binary frames reversed.</li>
 * </ul>
 * Registered as a static extension, it stops after the class's tests.
 */
final class StandInPhoneSystem implements AutoCloseable, AfterAllCallback {

	static final String SCRIPT = "/* the stand-in phone system's client */ window.PbxClient = {};";

	private final Server server;

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private StandInPhoneSystem() throws Exception {
		this.server = new Server(new InetSocketAddress("127.0.0.1", 0));
		WebSocketUpgradeHandler webSocket = WebSocketUpgradeHandler.from(this.server, (container) -> {
			container.addMapping("/pbx/socket", (request, response, callback) -> echo(request.getHttpURI()));
			container.addMapping("/pbx/rooms/*", (request, response, callback) -> echo(request.getHttpURI()));
		});
		webSocket.setHandler(new Handler.Abstract() {
			@Override
			public boolean handle(Request request, Response response, Callback callback) {
				return serve(request, response, callback);
			}
		});
		this.server.setHandler(webSocket);
		this.server.start();
	}

	static StandInPhoneSystem start() {
		try {
			return new StandInPhoneSystem();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getURI().getPort();
	}

	/** Every request it received, as {@code METHOD path?query}, WebSocket upgrades as {@code WS path?query}. */
	List<String> requests() {
		return List.copyOf(this.requests);
	}

	private Echo echo(HttpURI uri) {
		this.requests.add("WS " + uri.getPath() + ((uri.getQuery() != null) ? "?" + uri.getQuery() : ""));
		return new Echo(uri.getQuery());
	}

	private boolean serve(Request request, Response response, Callback callback) {
		String path = request.getHttpURI().getPath();
		String query = request.getHttpURI().getQuery();
		this.requests.add(request.getMethod() + " " + path + ((query != null) ? "?" + query : ""));
		if (path.equals("/pbx/client.js")) {
			return answer(response, callback, 200, "text/javascript", SCRIPT);
		}
		if (path.equals("/pbx/admin")) {
			return answer(response, callback, 200, "text/html", "<h1>PBX administration</h1>");
		}
		if (path.equals("/pbx/assets/missing")) {
			return answer(response, callback, 404, "text/plain", "no such asset");
		}
		if (path.equals("/pbx/assets/moved")) {
			response.getHeaders().put(HttpHeader.LOCATION, "/pbx/assets/here");
			return answer(response, callback, 302, "text/plain", "moved");
		}
		if (path.equals("/pbx/assets/huge")) {
			return answer(response, callback, 200, "text/plain", "x".repeat(1024 * 1024));
		}
		if (path.startsWith("/pbx/assets/")) {
			response.getHeaders().put(HttpHeader.ETAG, "\"asset-1\"");
			response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
			response.getHeaders().put(HttpHeader.SET_COOKIE, "pbx-session=secret");
			response.getHeaders().put("X-Pbx-Internal", "10.0.0.7");
			String accept = request.getHeaders().get(HttpHeader.ACCEPT);
			String cookie = request.getHeaders().get(HttpHeader.COOKIE);
			return answer(response, callback, 200, "text/plain;charset=utf-8",
					"asset " + path + " query " + query + " accept " + accept + " cookie " + cookie);
		}
		return answer(response, callback, 404, "text/plain", "not here");
	}

	private static boolean answer(Response response, Callback callback, int status, String type, String body) {
		response.setStatus(status);
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
		response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
		return true;
	}

	@Override
	public void close() throws Exception {
		this.server.stop();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		close();
	}

	/** The stand-in's own protocol: plain text in, plain text out; binary frames come back reversed. */
	public static final class Echo implements Session.Listener.AutoDemanding {

		private final String query;

		private Session session;

		Echo(String query) {
			this.query = query;
		}

		@Override
		public void onWebSocketOpen(Session session) {
			this.session = session;
		}

		@Override
		public void onWebSocketText(String text) {
			this.session.sendText("pbx says " + text + " (query " + this.query + ")", org.eclipse.jetty.websocket.api.Callback.NOOP);
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			byte[] reversed = new byte[bytes.length];
			for (int i = 0; i < bytes.length; i++) {
				reversed[i] = bytes[bytes.length - 1 - i];
			}
			callback.succeed();
			this.session.sendBinary(ByteBuffer.wrap(reversed), org.eclipse.jetty.websocket.api.Callback.NOOP);
		}

	}

}
