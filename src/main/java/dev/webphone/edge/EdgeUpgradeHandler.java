package dev.webphone.edge;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpAsyncRequestControl;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.support.JettyHeadersAdapter;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Upgrades the browsers' WebSocket requests for the edge's endpoints in Jetty itself, ahead of the
 * servlet context: no servlet filters, no Spring MVC dispatch, no servlet request and response objects
 * (which Jetty's servlet upgrade keeps referenced for the life of the connection).
 *
 * <p>A handshake costs the server about a third less CPU this way, and an idle connection about 5 KiB
 * less heap (see docs/benchmarks.md). The endpoint's handler is the same Spring {@link WebSocketHandler},
 * wrapped as Spring wraps it, and the same handshake interceptors judge the request, in the same order,
 * Spring's origin check last. Whatever this handler does not take goes on to the servlet context, which
 * still maps the endpoints: a request that is not a WebSocket upgrade, a path spelled differently, a host
 * name the server is not known by (refused there by the host filter), a handshake Jetty finds invalid
 * (answered there as before).
 */
final class EdgeUpgradeHandler extends Handler.Wrapper {

	private final WebSocketEdge edge;

	private final String contextPath;

	private final Predicate<String> knownHost;

	private final ServerWebSocketContainer container;

	/**
	 * @param contextPath the servlet context's path, under which the endpoints are registered
	 * @param knownHost whether a request's host name is one this server answers to
	 */
	EdgeUpgradeHandler(Server server, WebSocketEdge edge, String contextPath, Predicate<String> knownHost,
			Handler next) {
		super(next);
		this.edge = edge;
		this.contextPath = (contextPath != null && !contextPath.equals("/")) ? contextPath : "";
		this.knownHost = knownHost;
		this.container = ServerWebSocketContainer.ensure(server);
		EdgeSettings settings = edge.settings();
		this.container.setIdleTimeout(settings.idleTimeout());
		this.container.setMaxTextMessageSize(settings.maxMessageSize());
		this.container.setMaxBinaryMessageSize(settings.maxMessageSize());
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		WebSocketEdge.Endpoint endpoint = endpointFor(request);
		if (endpoint == null || !this.knownHost.test(Request.getServerName(request))) {
			return super.handle(request, response, callback);
		}
		HandshakeRequest handshake = new HandshakeRequest(request);
		HandshakeResponse answer = new HandshakeResponse();
		Map<String, Object> attributes = new HashMap<>();
		WebSocketHandler handler = endpoint.handler();
		List<HandshakeInterceptor> interceptors = endpoint.interceptors();
		int ran = 0;
		Exception failure = null;
		boolean upgraded = false;
		try {
			for (HandshakeInterceptor interceptor : interceptors) {
				if (!interceptor.beforeHandshake(handshake, answer, handler, attributes)) {
					afterHandshake(interceptors, ran, handshake, answer, handler, null);
					answer.send(response, callback);
					return true;
				}
				ran++;
			}
			upgraded = this.container.upgrade(creator(handler, attributes, this.container.getMaxTextMessageSize()), request, response, callback);
		}
		catch (Exception ex) {
			failure = ex;
		}
		if (failure != null) {
			afterHandshake(interceptors, ran, handshake, answer, handler, failure);
			Response.writeError(request, response, callback, failure);
			return true;
		}
		if (!upgraded) {
			// Jetty found no valid handshake and answered nothing: the servlet path answers it as before.
			afterHandshake(interceptors, ran, handshake, answer, handler,
					new IllegalStateException("not a valid WebSocket handshake"));
			return super.handle(request, response, callback);
		}
		afterHandshake(interceptors, ran, handshake, answer, handler, null);
		return true;
	}

	/** The endpoint a request is a WebSocket upgrade for, or null. */
	private WebSocketEdge.Endpoint endpointFor(Request request) {
		if (!"GET".equals(request.getMethod())) {
			return null;
		}
		String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
		if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
			return null;
		}
		String path = request.getHttpURI().getPath();
		if (path == null || !path.startsWith(this.contextPath)) {
			return null;
		}
		return this.edge.endpoint(path.substring(this.contextPath.length()));
	}

	private static WebSocketCreator creator(WebSocketHandler handler, Map<String, Object> attributes,
			long maxMessageSize) {
		return (upgradeRequest, upgradeResponse, callback) -> {
			// Whatever the browser offers (always permessage-deflate): see UncompressedJettyUpgrade.
			upgradeResponse.setExtensions(List.of());
			return new ByteFrameAdapter(handler, new HeaderlessJettySession(attributes), maxMessageSize);
		};
	}

	private static void afterHandshake(List<HandshakeInterceptor> interceptors, int ran, ServerHttpRequest request,
			ServerHttpResponse response, WebSocketHandler handler, Exception failure) {
		for (int i = ran - 1; i >= 0; i--) {
			interceptors.get(i).afterHandshake(request, response, handler, failure);
		}
	}

	/** The upgrade request as Spring's handshake interceptors read it. */
	private static final class HandshakeRequest implements ServerHttpRequest {

		private final Request request;

		private HttpHeaders headers;

		private Map<String, Object> attributes;

		HandshakeRequest(Request request) {
			this.request = request;
		}

		@Override
		public HttpMethod getMethod() {
			return HttpMethod.GET;
		}

		@Override
		public URI getURI() {
			return this.request.getHttpURI().toURI();
		}

		@Override
		public Map<String, Object> getAttributes() {
			if (this.attributes == null) {
				this.attributes = new HashMap<>();
			}
			return this.attributes;
		}

		@Override
		public HttpHeaders getHeaders() {
			if (this.headers == null) {
				this.headers = HttpHeaders.readOnlyHttpHeaders(new JettyHeadersAdapter(this.request.getHeaders()));
			}
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return InputStream.nullInputStream();
		}

		@Override
		public Principal getPrincipal() {
			return null;
		}

		@Override
		public InetSocketAddress getLocalAddress() {
			return inet(this.request.getConnectionMetaData().getLocalSocketAddress());
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return inet(this.request.getConnectionMetaData().getRemoteSocketAddress());
		}

		@Override
		public ServerHttpAsyncRequestControl getAsyncRequestControl(ServerHttpResponse response) {
			throw new UnsupportedOperationException("not during a WebSocket handshake");
		}

		private static InetSocketAddress inet(SocketAddress address) {
			return (address instanceof InetSocketAddress inet) ? inet : null;
		}

	}

	/** What an interceptor that refuses the handshake answers: status, headers and body, sent as one. */
	private static final class HandshakeResponse implements ServerHttpResponse {

		private final HttpHeaders headers = new HttpHeaders();

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private int status = HttpStatus.OK_200;

		@Override
		public void setStatusCode(HttpStatusCode status) {
			this.status = status.value();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public OutputStream getBody() {
			return this.body;
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		void send(Response response, Callback callback) {
			response.setStatus(this.status);
			this.headers.forEach((name, values) -> values.forEach((value) -> response.getHeaders().add(name, value)));
			response.write(true, ByteBuffer.wrap(this.body.toByteArray()), callback);
		}

	}

}
