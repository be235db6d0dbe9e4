package dev.webphone.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis the cluster tests start: it answers, and a restart after a crash is an empty store on the
 * same port, as the tests of losing Redis assume.
 */
class RedisServerTests {

	@BeforeAll
	static void requireRedis() {
		RedisServer.requireInstalled();
	}

	@Test
	void restartsEmptyOnTheSamePort() {
		try (RedisServer redis = RedisServer.start()) {
			int port = redis.port();
			assertThat(redis.isRunning()).isTrue();
			redis.stop();
			assertThat(redis.isRunning()).isFalse();
			redis.launch();
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.port()).isEqualTo(port);
		}
	}

}
