package dev.webphone.cluster;

/**
 * The fields and kinds of the messages on the cluster's streams. To the leader: a browser {@link #OPEN}ed
 * a connection at an edge, sent a {@link #TEXT} or {@link #BINARY} frame, or its connection
 * {@link #CLOSED}. To an edge: send a {@link #TEXT} (or {@link #UNCOUNTED_TEXT}) frame to the browser, or
 * {@link #CLOSE} its connection.
 */
final class EdgeMessage {

	/** Which browser connection: {@code <instance id>/<sequence number>}. */
	static final String SESSION = "session";

	static final String KIND = "kind";

	static final String DATA = "data";

	/** With {@link #OPEN}: where the browser connects from, empty when loopback or unknown. */
	static final String ADDRESS = "address";

	/** With {@link #OPEN}: the edge's instance id, whose stream gets what is for the browser. */
	static final String EDGE = "edge";

	static final String CODE = "code";

	static final String REASON = "reason";

	/** With {@link #CLOSED}: {@code true} when the edge cut the browser for not reading. */
	static final String FELL_BEHIND = "fellBehind";

	/** With {@link #CLOSED}: {@code true} when the edge closed the browser's silent connection. */
	static final String TIMED_OUT = "timedOut";

	static final String OPEN = "open";

	static final String TEXT = "text";

	/** A text frame that does not count against the browser's send limits (the clients online on joining). */
	static final String UNCOUNTED_TEXT = "uncounted-text";

	static final String BINARY = "binary";

	static final String CLOSE = "close";

	static final String CLOSED = "closed";

	private EdgeMessage() {
	}

}
