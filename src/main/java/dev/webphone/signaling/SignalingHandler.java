package dev.webphone.signaling;

import dev.webphone.access.CallAttemptLimit;
import dev.webphone.access.LimitsProperties;
import dev.webphone.access.LineAdmission;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.ice.IceProperties;
import dev.webphone.line.Switchboard;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
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

	private final WebSocketEdge edge;

	private final LineAdmission admission;

	private final LimitsProperties limits;

	private final SessionResumption resumption;

	SignalingHandler(SignalingCodec codec, Switchboard switchboard, SignalingProperties properties,
			SignalingMetrics metrics, IceProperties ice, WebSocketEdge edge, LineAdmission admission,
			LimitsProperties limits, SessionResumption resumption) {
		this.edge = edge;
		this.admission = admission;
		this.limits = limits;
		this.resumption = resumption;
		this.codec = codec;
		this.switchboard = switchboard;
		this.properties = properties;
		this.metrics = metrics;
		this.iceTransportPolicy = ice.transportPolicy().value();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) {
		SignalingSession session = new SignalingSession(WebSocketEdge.socket(socket), this.codec, this.switchboard,
				new RateLimit(this.properties.rateBurst(), this.properties.ratePerSecond()), this.metrics,
				this.iceTransportPolicy, this.admission, new CallAttemptLimit(this.limits.callAttemptsPerMinute()),
				this.resumption);
		socket.getAttributes().put(SESSION, session);
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
		session(socket).closed(status);
	}

	/** How many browsers are connected, joined to a line or not. */
	int connectionCount() {
		return this.edge.browserCount();
	}

	private static SignalingSession session(WebSocketSession socket) {
		return (SignalingSession) socket.getAttributes().get(SESSION);
	}

}
