package dev.webphone.cluster;

import java.time.Duration;
import java.util.Map;

import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.JournalledCall;
import dev.webphone.line.LineJournal;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader's journal on a real Redis, without the rest of an instance: what it writes, how long it
 * lives, and that a leadership that is over cannot write.
 */
class RedisLineJournalTests {

	private static final Duration TTL = Duration.ofSeconds(40);

	private RedisServer redis;

	private LettuceConnectionFactory connections;

	private ClusterBus bus;

	private RedisLineJournal journal;

	@BeforeAll
	static void requireRedis() {
		RedisServer.requireInstalled();
	}

	@BeforeEach
	void start() {
		this.redis = RedisServer.start();
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.bus = new ClusterBus(this.connections, new ClusterProperties(true, "writer", Duration.ofSeconds(3), 100000));
		this.journal = new RedisLineJournal(this.bus, "writer", TTL, Duration.ofMillis(200));
	}

	@AfterEach
	void stop() throws Exception {
		this.journal.destroy();
		this.bus.destroy();
		this.connections.destroy();
		this.redis.close();
	}

	/** Takes the lease for {@code instance} as {@link Leadership} does; returns its epoch. */
	private long lead(String instance) {
		RedisCommands<String, String> redis = this.bus.commands().getStatefulConnection().sync();
		redis.set(ClusterBus.LEADER_KEY, instance);
		return redis.incr(RedisLineJournal.EPOCH);
	}

	private RedisCommands<String, String> redis() {
		return this.bus.commands().getStatefulConnection().sync();
	}

	@Test
	void writesTheLatestOfEachKeyWithATimeToLiveAndDeletesWhatEnded() {
		this.journal.record(lead("writer"));
		JournalledCall ringing = new JournalledCall("L", "1001", "1002", "1002", "c1", "c1", CallState.RINGING,
				CallType.AUDIO);
		this.journal.session(new LineJournal.Session("L", "1001", Map.of("name", "Ann"), "hash-1"));
		this.journal.call(ringing);
		this.journal.call(new JournalledCall("L", "1001", "1002", "1002", "c1", "c1", CallState.IN_CALL, CallType.AUDIO));
		this.journal.session(new LineJournal.Session("L", "1002", Map.of(), "hash-2"));
		this.journal.sessionEnded("L", "1002");

		await().untilAsserted(() -> assertThat(redis().hget(RedisLineJournal.CALLS, ringing.key())).contains("IN_CALL"));
		assertThat(redis().hget(RedisLineJournal.SESSIONS, "L/1001")).contains("hash-1").contains("Ann");
		assertThat(redis().hexists(RedisLineJournal.SESSIONS, "L/1002")).isFalse();
		assertThat(redis().pttl(RedisLineJournal.SESSIONS)).isBetween(1L, TTL.toMillis());
		assertThat(redis().pttl(RedisLineJournal.CALLS)).isBetween(1L, TTL.toMillis());

		this.journal.callEnded(ringing.key());
		await().untilAsserted(() -> assertThat(redis().hexists(RedisLineJournal.CALLS, ringing.key())).isFalse());
	}

	@Test
	void aLeadershipThatIsOverCannotWrite() throws Exception {
		this.journal.record(lead("writer"));
		this.journal.session(new LineJournal.Session("L", "1001", Map.of(), "mine"));
		await().untilAsserted(() -> assertThat(redis().hget(RedisLineJournal.SESSIONS, "L/1001")).contains("mine"));

		// Another instance takes the lease (this one was paused past it), then this one writes.
		lead("successor");
		redis().hset(RedisLineJournal.SESSIONS, "L/1001", "the successor's");
		this.journal.session(new LineJournal.Session("L", "1001", Map.of(), "stale"));
		await().until(() -> this.journal.refusedCount() > 0);
		assertThat(redis().hget(RedisLineJournal.SESSIONS, "L/1001")).isEqualTo("the successor's");

		// Nor can this instance with its old epoch once it holds the lease again: only a new one counts.
		redis().set(ClusterBus.LEADER_KEY, "writer");
		long refused = this.journal.refusedCount();
		this.journal.session(new LineJournal.Session("L", "1001", Map.of(), "stale again"));
		await().until(() -> this.journal.refusedCount() > refused);
		assertThat(redis().hget(RedisLineJournal.SESSIONS, "L/1001")).isEqualTo("the successor's");
	}

	@Test
	void theStateLivesWhileALeaderBeatsAndExpiresWhenNoneDoes() throws Exception {
		this.journal.destroy();
		this.journal = new RedisLineJournal(this.bus, "writer", Duration.ofSeconds(1), Duration.ofMillis(200));
		this.journal.record(lead("writer"));
		this.journal.session(new LineJournal.Session("L", "1001", Map.of(), "h"));
		await().until(() -> redis().hexists(RedisLineJournal.SESSIONS, "L/1001"));
		// Longer than its time to live, with nothing new to write: the writer's beats keep it.
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
			.until(() -> redis().exists(RedisLineJournal.SESSIONS) == 1);
		// The leader is gone (it beats no more): the state goes by itself.
		this.journal.stop();
		await().atMost(Duration.ofSeconds(3)).until(() -> redis().exists(RedisLineJournal.SESSIONS) == 0);
	}

}
