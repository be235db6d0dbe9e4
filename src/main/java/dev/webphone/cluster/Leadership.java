package dev.webphone.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Which instance leads the cluster: the one holding a lease in Redis ({@link ClusterBus#LEADER_KEY},
 * set only if absent, with the lease as its time to live). The leader renews it three times per lease
 * and only while it still holds it; when it cannot, it steps down before the lease can have passed to
 * another instance, so two instances never both lead. Every instance also says it is alive with the
 * same beat ({@link ClusterBus#aliveKey}) and keeps its own edge stream alive, so the stream of an
 * instance that is gone expires by itself and the leader learns that its browsers are gone.
 */
final class Leadership implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Leadership.class);

	/** Extends the lease only for the instance that holds it: a compare-and-expire in one step. */
	private static final String RENEW = """
			if redis.call('get', KEYS[1]) == ARGV[1] then
			  return redis.call('pexpire', KEYS[1], ARGV[2])
			end
			return 0
			""";

	/**
	 * Takes the lease if nobody holds it and, in the same step, the next epoch: each leadership has
	 * its own, which fences the writes of the line's state ({@link RedisLineJournal#WRITE}).
	 */
	private static final String ACQUIRE = """
			if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  return redis.call('incr', KEYS[2])
			end
			return 0
			""";

	/** How the instance hears that it leads, that it stopped, or that the leader changed. */
	interface Listener {

		/**
		 * This instance now leads: it serves the line.
		 * @param epoch this leadership's number, greater than any earlier one's
		 */
		void leading(long epoch);

		/** This instance no longer leads. */
		void steppedDown();

		/**
		 * The leader this instance knew is gone ({@code current} is {@code null}) or replaced: the
		 * browsers' sessions at the old leader are gone.
		 */
		void leaderChanged(String previous, String current);

		/** A beat while this instance leads, on the lease's thread: time for the leader's upkeep. */
		void stillLeading();

	}

	private final ClusterBus bus;

	private final String instanceId;

	private final Duration lease;

	private final Duration beat;

	private final Listener listener;

	private volatile ScheduledExecutorService timer;

	/** Only the timer thread writes these, and {@link #stop} once it has stopped. */
	private volatile boolean leading;

	/** Holds the lease in Redis; it leads (serves) only a whole lease after taking it. */
	private volatile boolean holding;

	private long acquiredAt;

	/** The epoch of the lease held; meaningful while {@link #holding}. */
	private long epoch;

	/** When the beats began to fail; only meaningful while {@link #redisReachable} is false. */
	private long unreachableSince;

	private volatile String leader;

	private volatile boolean redisReachable;

	private long renewedAt;

	Leadership(ClusterBus bus, ClusterProperties properties, Listener listener) {
		this.bus = bus;
		this.instanceId = properties.instanceId();
		this.lease = properties.lease();
		this.beat = properties.lease().dividedBy(3);
		this.listener = listener;
	}

	/** Whether this instance leads the cluster now. */
	boolean isLeading() {
		return this.leading;
	}

	/** The instance that leads, as last seen; {@code null} before one was seen. */
	String leader() {
		return this.leader;
	}

	/** Whether the last beat reached Redis. */
	boolean isRedisReachable() {
		return this.redisReachable;
	}

	String instanceId() {
		return this.instanceId;
	}

	private void beat() {
		long timeout = this.beat.toMillis();
		try {
			var commands = this.bus.commands();
			long now = System.nanoTime();
			if (this.holding) {
				Long renewed = commands.<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] { ClusterBus.LEADER_KEY },
						this.instanceId, Long.toString(this.lease.toMillis())).get(timeout, TimeUnit.MILLISECONDS);
				if (renewed != null && renewed == 1) {
					this.renewedAt = now;
				}
				else {
					letGo("another instance holds the lease");
				}
			}
			if (!this.holding) {
				Long acquired = commands.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER,
						new String[] { ClusterBus.LEADER_KEY, RedisLineJournal.EPOCH }, this.instanceId,
						Long.toString(this.lease.toMillis())).get(timeout, TimeUnit.MILLISECONDS);
				if (acquired != null && acquired > 0) {
					this.epoch = acquired;
					this.renewedAt = now;
					this.acquiredAt = now;
					this.holding = true;
				}
			}
			if (this.holding && !this.leading && now - this.acquiredAt >= this.lease.toNanos()) {
				this.leading = true;
				logger.info("Instance " + this.instanceId + " leads the cluster (epoch " + this.epoch + ")");
				this.listener.leading(this.epoch);
			}
			String current = this.holding ? this.instanceId
					: commands.get(ClusterBus.LEADER_KEY).get(timeout, TimeUnit.MILLISECONDS);
			commands.pexpire(ClusterBus.edgeStream(this.instanceId), this.lease.multipliedBy(3).toMillis());
			commands.set(ClusterBus.aliveKey(this.instanceId), "1", SetArgs.Builder.px(this.lease.toMillis()))
				.get(timeout, TimeUnit.MILLISECONDS);
			this.redisReachable = true;
			this.unreachableSince = 0;
			seen(current);
			if (this.leading) {
				this.listener.stillLeading();
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			long now = System.nanoTime();
			if (this.redisReachable) {
				logger.warn("Redis is unreachable: " + ex);
				this.unreachableSince = now;
			}
			this.redisReachable = false;
			// Whoever led has stepped down by now (as this instance does below): nobody leads.
			if (now - this.unreachableSince > this.lease.toNanos() * 2 / 3) {
				seen(null);
			}
			// Two thirds of the lease since Redis last confirmed it: let go before another instance
			// could have taken it over and served, which it cannot before a whole lease has passed.
			if (this.holding && System.nanoTime() - this.renewedAt > this.lease.toNanos() * 2 / 3) {
				letGo("Redis is unreachable");
			}
		}
	}

	/** No longer holds the lease: stops serving first, so that nobody else serves before it stopped. */
	private void letGo(String why) {
		this.holding = false;
		if (this.leading) {
			this.leading = false;
			logger.warn("Instance " + this.instanceId + " no longer leads the cluster: " + why);
			this.listener.steppedDown();
		}
	}

	/**
	 * The leader as Redis says now, {@code null} for none. A leader gone (no one holds the lease) or
	 * replaced means that the sessions of this edge's browsers are gone with it; a leader that comes
	 * after none is news to nobody, since the browsers were let go when the last one went.
	 */
	private void seen(String current) {
		String previous = this.leader;
		if (java.util.Objects.equals(current, previous)) {
			return;
		}
		this.leader = current;
		if (previous != null) {
			this.listener.leaderChanged(previous, current);
		}
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("cluster-lease-"));
		executor.setRemoveOnCancelPolicy(true);
		this.timer = executor;
		executor.scheduleWithFixedDelay(this::beat, 0, this.beat.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (!stopBeating()) {
			return;
		}
		if (this.holding) {
			// Stop serving, then hand the lease over at once rather than after it runs out.
			letGo("it is stopping");
			try {
				this.bus.commands()
					.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
							ScriptOutputType.INTEGER, new String[] { ClusterBus.LEADER_KEY }, this.instanceId)
					.get(this.beat.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				// The lease runs out by itself.
			}
		}
	}

	/** Stops beating, as a crashed process would, without handing the lease over; for tests. */
	void stopWithoutHandOver() {
		stopBeating();
	}

	private boolean stopBeating() {
		ScheduledExecutorService executor = this.timer;
		this.timer = null;
		if (executor == null) {
			return false;
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

	@Override
	public int getPhase() {
		// After the web server has started, so the edge can take browsers when the line is served.
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
