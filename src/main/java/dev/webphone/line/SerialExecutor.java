package dev.webphone.line;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: an ordered queue without a thread
 * of its own, so that every line can have one.
 *
 * <p>A turn on the pool runs at most {@link #TASKS_PER_TURN} tasks; then the rest waits for a new turn
 * at the back of the pool's queue. A line with a long queue so shares the pool's threads with the
 * others instead of holding one until its queue is empty.
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	static final int TASKS_PER_TURN = 16;

	private final Executor pool;

	SerialExecutor(Executor pool) {
		this.pool = pool;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		scheduleDrain();
	}

	private void scheduleDrain() {
		if (this.draining.compareAndSet(false, true)) {
			this.pool.execute(this::drain);
		}
	}

	private void drain() {
		try {
			Runnable task;
			int run = 0;
			while (run++ < TASKS_PER_TURN && (task = this.tasks.poll()) != null) {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.error("Task failed", ex);
				}
			}
		}
		finally {
			this.draining.set(false);
			// A task added after the last poll but before the flag was cleared must not wait forever.
			if (!this.tasks.isEmpty()) {
				scheduleDrain();
			}
		}
	}

}
