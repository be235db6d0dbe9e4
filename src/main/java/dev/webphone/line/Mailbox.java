package dev.webphone.line;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One client's messages, in the order the line decided them.
 *
 * <p>A message is posted while the monitors that decided it are held, so the queue's order is the
 * order of the decisions; it is sent after they are released, so a slow socket never holds up another
 * client's call. Whoever posts then drains, but only one thread drains at a time and takes the
 * messages in queue order: a thread that finds another draining leaves its message to that one,
 * which cannot stop before the queue is empty. No thread hands work to another and none waits; the
 * sends themselves never block (the transport queues them).
 */
final class Mailbox {

	private static final Log logger = LogFactory.getLog(Mailbox.class);

	private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** Queues a message; {@link #drain} sends it. */
	void post(Runnable message) {
		this.pending.add(message);
	}

	/** Sends the queued messages in order, unless another thread is doing so already. */
	void drain() {
		// Re-checked after letting go: a message posted while this thread was finishing, by a thread
		// that found it draining, would otherwise wait for the next post.
		while (!this.pending.isEmpty() && this.draining.compareAndSet(false, true)) {
			try {
				Runnable message;
				while ((message = this.pending.poll()) != null) {
					try {
						message.run();
					}
					catch (RuntimeException ex) {
						logger.warn("Could not deliver a message to a client", ex);
					}
				}
			}
			finally {
				this.draining.set(false);
			}
		}
	}

}
