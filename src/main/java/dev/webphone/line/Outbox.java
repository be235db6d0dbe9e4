package dev.webphone.line;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Messages decided while the parties' monitors are held, delivered in the same order once they are
 * released: a slow socket then never holds up another client's call.
 */
final class Outbox {

	private static final Log logger = LogFactory.getLog(Outbox.class);

	private final List<Runnable> deliveries = new ArrayList<>(4);

	void add(Runnable delivery) {
		this.deliveries.add(delivery);
	}

	void deliver() {
		for (Runnable delivery : this.deliveries) {
			try {
				delivery.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not deliver a message to a client", ex);
			}
		}
		this.deliveries.clear();
	}

}
