package dev.webphone.line;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A browser connected to a line, with the number the line gave it. Its monitor guards its current
 * call; the {@link Switchboard} takes the monitors of both parties, in {@link #order} order. What the
 * line tells it goes through its {@link Mailbox}, in the order the line decided it.
 */
public final class Client {

	private static final AtomicLong ORDER = new AtomicLong();

	final long order = ORDER.incrementAndGet();

	private final Line line;

	private final String number;

	private final Map<String, Object> properties;

	private final ClientChannel channel;

	/** The call this client is in, ringing or connected; guarded by this. */
	private Call call;

	/** Whether the client has been made reachable by its number; guarded by this. */
	private boolean entered;

	/** Whether the client has left the line; guarded by this. A client that has left gets no new call. */
	private boolean gone;

	private final Mailbox mailbox = new Mailbox();

	/** Whether this is a phone behind a {@link Gateway}: no browser, never on the line's roster. */
	private final boolean atGateway;

	Client(Line line, String number, Map<String, Object> properties, ClientChannel channel) {
		this(line, number, properties, channel, false);
	}

	Client(Line line, String number, Map<String, Object> properties, ClientChannel channel, boolean atGateway) {
		this.line = line;
		this.number = number;
		this.properties = Map.copyOf(properties);
		this.channel = channel;
		this.atGateway = atGateway;
	}

	/**
	 * Whether this is a phone behind a {@link Gateway}, which needs its caller's offer before it can
	 * ring.
	 */
	boolean isAtGateway() {
		return this.atGateway;
	}

	/** The number this client has on its line while it is connected. */
	public String number() {
		return this.number;
	}

	/** The name of the line this client joined. */
	public String lineName() {
		return this.line.name();
	}

	Line line() {
		return this.line;
	}

	Map<String, Object> properties() {
		return this.properties;
	}

	ClientChannel channel() {
		return this.channel;
	}

	/**
	 * Queues a message for this client behind everything decided for it before; {@link #flush} sends
	 * it. Call it with the monitors that decided the message held.
	 */
	void post(Consumer<ClientChannel> message) {
		this.mailbox.post(() -> message.accept(this.channel));
	}

	/** Sends what has been posted for this client, in order; with no monitor held. */
	void flush() {
		this.mailbox.drain();
	}

	/** Posts a message and sends it; for messages decided under no monitor of this client's. */
	void tell(Consumer<ClientChannel> message) {
		post(message);
		flush();
	}

	Call call() {
		return this.call;
	}

	void setCall(Call call) {
		this.call = call;
	}

	boolean isGone() {
		return this.gone;
	}

	void markGone() {
		this.gone = true;
	}

	boolean hasEntered() {
		return this.entered;
	}

	void markEntered() {
		this.entered = true;
	}

	@Override
	public String toString() {
		return this.line.name() + "/" + this.number;
	}

}
