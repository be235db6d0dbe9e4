package dev.webphone.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.webphone.edge.BrowserSocket;

/**
 * At the leader, a browser connected to another instance's edge (or to this one's, which is reached
 * the same way): what its session sends goes to that edge's stream, which writes it to the browser.
 * The edge applies the send limits, the pings and the idle time-out; it reports how the connection
 * ended with the close, before the session hears of it.
 */
final class RemoteBrowserSocket implements BrowserSocket {

	private final String session;

	private final String edgeStream;

	private final String remoteAddress;

	private final ClusterBus bus;

	private final Runnable lost;

	private volatile boolean fellBehind;

	private volatile boolean timedOut;

	/**
	 * @param lost runs when Redis does not take a message for the browser: the session can no longer
	 * be trusted to be in step with its page
	 */
	RemoteBrowserSocket(String session, String edgeStream, String remoteAddress, ClusterBus bus, Runnable lost) {
		this.session = session;
		this.edgeStream = edgeStream;
		this.remoteAddress = remoteAddress;
		this.bus = bus;
		this.lost = lost;
	}

	@Override
	public boolean sendText(String text) {
		this.bus.append(this.edgeStream, Map.of(EdgeMessage.SESSION, this.session, EdgeMessage.KIND, EdgeMessage.TEXT,
				EdgeMessage.DATA, text), this.lost);
		return true;
	}

	@Override
	public boolean sendShared(ByteBuffer utf8, boolean counted) {
		String text = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
		this.bus.append(this.edgeStream, Map.of(EdgeMessage.SESSION, this.session, EdgeMessage.KIND,
				counted ? EdgeMessage.TEXT : EdgeMessage.UNCOUNTED_TEXT, EdgeMessage.DATA, text), this.lost);
		return true;
	}

	@Override
	public String remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public void close(int code, String reason) {
		this.bus.append(this.edgeStream, Map.of(EdgeMessage.SESSION, this.session, EdgeMessage.KIND, EdgeMessage.CLOSE,
				EdgeMessage.CODE, Integer.toString(code), EdgeMessage.REASON, (reason != null) ? reason : ""), this.lost);
	}

	@Override
	public boolean fellBehind() {
		return this.fellBehind;
	}

	@Override
	public boolean timedOut() {
		return this.timedOut;
	}

	/** How the edge says the connection ended. */
	void ended(boolean fellBehind, boolean timedOut) {
		this.fellBehind = fellBehind;
		this.timedOut = timedOut;
	}

}
