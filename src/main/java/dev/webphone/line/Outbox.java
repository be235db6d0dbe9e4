package dev.webphone.line;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The clients one decision has messages for. Each message goes into its client's {@link Mailbox}
 * at once, while the deciding monitors are held; {@link #deliver} drains those mailboxes once they
 * are released.
 */
final class Outbox {

	private final Set<Client> recipients = new LinkedHashSet<>(4);

	/**
	 * Posts a message for {@code client}, unless it has left the line; call with the monitors that
	 * decided it held, the client's among them.
	 */
	void tell(Client client, Consumer<ClientChannel> message) {
		if (client.isGone()) {
			return;
		}
		client.post(message);
		this.recipients.add(client);
	}

	/** Sends what was posted; call after the monitors are released. */
	void deliver() {
		for (Client client : this.recipients) {
			client.flush();
		}
		this.recipients.clear();
	}

}
