package dev.webphone.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease on a real Redis: however instances come and go and Redis restarts, never two lead at
 * once, and one leads again soon after the leader is gone. The line's atomicity across instances
 * rests on this, since only the leader decides anything.
 */
class LeadershipTests {

	private static final Duration LEASE = Duration.ofSeconds(1);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@BeforeAll
	static void requireRedis() {
		RedisServer.requireInstalled();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void neverTwoLeadWhileInstancesComeAndGoAndRedisRestarts() throws Exception {
		RedisServer redis = RedisServer.start();
		this.resources.add(redis);
		List<Candidate> candidates = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Candidate candidate = new Candidate(redis, "candidate-" + i);
			this.resources.add(candidate);
			candidates.add(candidate);
			candidate.leadership.start();
		}
		AtomicInteger mostAtOnce = new AtomicInteger();
		Thread watcher = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				int leading = (int) candidates.stream().filter(Candidate::leads).count();
				mostAtOnce.accumulateAndGet(leading, Math::max);
				Thread.onSpinWait();
			}
		});
		watcher.start();
		try {
			Random random = new Random(20261207L);
			for (int round = 0; round < 12; round++) {
				awaitOneLeader(candidates);
				if (round % 4 == 3) {
					redis.stop();
					await().until(() -> candidates.stream().noneMatch(Candidate::leads));
					redis.launch();
					continue;
				}
				if (round % 4 == 1) {
					// A blip: Redis restarts empty before the leader notices, so the lease is gone
					// while the leader still serves; whoever takes it must not serve alongside.
					redis.stop();
					redis.launch();
					awaitOneLeader(candidates);
					continue;
				}
				// The leader goes, stopping or (as a crash) just ceasing to beat; another one starts.
				Candidate leader = candidates.stream().filter(Candidate::leads).findFirst().orElseThrow();
				if (random.nextBoolean()) {
					leader.leadership.stop();
				}
				else {
					leader.freeze();
				}
				await().until(() -> candidates.stream().anyMatch((c) -> c != leader && c.leads()));
				leader.restart();
			}
		}
		finally {
			watcher.interrupt();
			watcher.join();
		}
		assertThat(mostAtOnce.get()).as("instances leading at the same moment").isEqualTo(1);
	}

	private static void awaitOneLeader(List<Candidate> candidates) {
		await().until(() -> candidates.stream().filter(Candidate::leads).count() == 1);
	}

	/** One instance's lease, with its own connection to Redis. */
	private static final class Candidate implements AutoCloseable, Leadership.Listener {

		private final LettuceConnectionFactory connections;

		private final ClusterBus bus;

		private final ClusterProperties properties;

		private volatile Leadership leadership;

		/** A frozen candidate counts as not leading: a crashed process serves nothing. */
		private volatile boolean frozen;

		Candidate(RedisServer redis, String id) {
			this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
			this.connections.afterPropertiesSet();
			this.connections.start();
			this.properties = new ClusterProperties(true, id, LEASE, 1000);
			this.bus = new ClusterBus(this.connections, this.properties);
			this.leadership = new Leadership(this.bus, this.properties, this);
		}

		boolean leads() {
			return !this.frozen && this.leadership.isLeading();
		}

		/** Stops beating without a word, as a process that crashed or hangs. */
		void freeze() {
			this.frozen = true;
			this.leadership.stopWithoutHandOver();
		}

		/** Starts again as a new process would: with a lease of its own, not the frozen one's belief. */
		void restart() {
			this.leadership.stop();
			this.leadership = new Leadership(this.bus, this.properties, this);
			this.frozen = false;
			this.leadership.start();
		}

		@Override
		public void leading(long epoch) {
		}

		@Override
		public void steppedDown() {
		}

		@Override
		public void leaderChanged(String previous, String current) {
		}

		@Override
		public void stillLeading() {
		}

		@Override
		public void close() {
			this.leadership.stop();
			this.bus.destroy();
			this.connections.destroy();
		}

	}

}
