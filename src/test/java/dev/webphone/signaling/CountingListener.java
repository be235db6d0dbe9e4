package dev.webphone.signaling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.websocket.api.Session;

/**
 * A Jetty WebSocket client listener that reads everything and only counts: the messages it received
 * and the close codes its connections ended with. Public because Jetty calls it reflectively.
 */
public final class CountingListener implements Session.Listener.AutoDemanding {

	private final LongAdder received;

	private final Map<Integer, LongAdder> closeCodes;

	private final LongAdder accessDenied;

	CountingListener(LongAdder received, Map<Integer, LongAdder> closeCodes, LongAdder accessDenied) {
		this.received = received;
		this.closeCodes = closeCodes;
		this.accessDenied = accessDenied;
	}

	static Map<Integer, LongAdder> newCloseCodes() {
		return new ConcurrentHashMap<>();
	}

	@Override
	public void onWebSocketText(String message) {
		this.received.increment();
		if (message.startsWith("{\"type\":\"access-denied\"")) {
			this.accessDenied.increment();
		}
	}

	@Override
	public void onWebSocketError(Throwable cause) {
		// The server closed the connection while this side was still writing: the close code says why.
	}

	@Override
	public void onWebSocketClose(int code, String reason) {
		this.closeCodes.computeIfAbsent(code, (c) -> new LongAdder()).increment();
	}

}
