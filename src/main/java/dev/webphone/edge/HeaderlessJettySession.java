package dev.webphone.edge;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;

/**
 * Spring's session over a Jetty WebSocket, without Spring's copy of the handshake headers.
 *
 * <p>{@link JettyWebSocketSession} copies every header of the upgrade request into a map of its own
 * when the connection opens and keeps it for the life of the connection: about 2.5 KB per idle browser
 * (a third of a connection's heap once the upgrade no longer keeps the servlet request). Nothing here
 * reads the headers after the handshake: the interceptors judged the request while it was there. So
 * this session's {@link #getHandshakeHeaders()} is empty; everything else (id, URI, addresses,
 * extensions, sending, closing) is Spring's, over the real Jetty session.
 */
final class HeaderlessJettySession extends JettyWebSocketSession {

	private static final ClassLoader LOADER = HeaderlessJettySession.class.getClassLoader();

	private Session session;

	HeaderlessJettySession(Map<String, Object> attributes) {
		super(attributes, null);
	}

	@Override
	public void initializeNativeSession(Session session) {
		this.session = session;
		// Spring reads what it keeps from this view once, here; the view reports no headers.
		super.initializeNativeSession(withoutHeaders(session));
	}

	@Override
	public Session getNativeSession() {
		return this.session;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <R> R getNativeSession(Class<R> type) {
		return (type == null || type.isInstance(this.session)) ? (R) this.session : null;
	}

	private static Session withoutHeaders(Session session) {
		UpgradeRequest request = session.getUpgradeRequest();
		UpgradeRequest headerless = (UpgradeRequest) Proxy.newProxyInstance(LOADER,
				new Class<?>[] { UpgradeRequest.class }, (proxy, method, args) -> (isGetHeaders(method, args))
						? Map.of() : call(method, request, args));
		return (Session) Proxy.newProxyInstance(LOADER, new Class<?>[] { Session.class },
				(proxy, method, args) -> (method.getName().equals("getUpgradeRequest") && args == null) ? headerless
						: call(method, session, args));
	}

	private static boolean isGetHeaders(Method method, Object[] args) {
		return method.getName().equals("getHeaders") && args == null;
	}

	private static Object call(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
