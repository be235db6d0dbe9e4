package dev.webphone.signaling;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.webphone.ice.IceProperties;
import dev.webphone.line.ErrorCode;
import dev.webphone.line.Switchboard;
import dev.webphone.metrics.SignalingMetrics;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.eclipse.jetty.websocket.api.Session;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The signalling endpoint: hands each connection's frames to its {@link SignalingSession}.
 */
@Component
@ConditionalOnEmbeddedLine
class SignalingHandler extends AbstractWebSocketHandler {

	private static final String SESSION = SignalingSession.class.getName();

	private final SignalingCodec codec;

	private final Switchboard switchboard;

	private final SignalingProperties properties;

	private final SignalingMetrics metrics;

	private final String iceTransportPolicy;

	private final Set<SignalingSession> sessions = ConcurrentHashMap.newKeySet();

	private final SessionResumption resumption;

	SignalingHandler(SignalingCodec codec, Switchboard switchboard, SignalingProperties properties,
			SignalingMetrics metrics, IceProperties ice, SessionResumption resumption) {
		this.resumption = resumption;
		this.codec = codec;
		this.switchboard = switchboard;
		this.properties = properties;
		this.metrics = metrics;
		this.iceTransportPolicy = ice.transportPolicy().value();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) {
		BrowserSocket browser = new BrowserSocket(((NativeWebSocketSession) socket).getNativeSession(Session.class),
				this.properties.sendBufferLimit().toBytes());
		SignalingSession session = new SignalingSession(browser, this.codec, this.switchboard,
				new RateLimit(this.properties.rateBurst(), this.properties.ratePerSecond()), this.metrics,
				this.iceTransportPolicy, this.resumption);
		socket.getAttributes().put(SESSION, session);
		this.sessions.add(session);
	}

	@Override
	protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
		session(socket).receive(message.getPayload());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
		session(socket).refuse(ErrorCode.MALFORMED, "Binary frames are not part of the protocol; send JSON text");
	}

	@Override
	public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
		SignalingSession session = session(socket);
		this.sessions.remove(session);
		session.closed(status);
	}

	@Scheduled(fixedRateString = "${webphone.signaling.ping-interval:5s}",
			initialDelayString = "${webphone.signaling.ping-interval:5s}")
	void pingAll() {
		this.sessions.forEach(SignalingSession::ping);
	}

	/** How many browsers are connected, joined to a line or not. */
	int connectionCount() {
		return this.sessions.size();
	}

	private static SignalingSession session(WebSocketSession socket) {
		return (SignalingSession) socket.getAttributes().get(SESSION);
	}

}
