package dev.webphone.cluster;

import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The message bus between instances: one Redis stream per reader (the leader's, and each instance's
 * edge), appended to without waiting for Redis.
 *
 * <p>All appends go through one Lettuce connection, which writes commands in the order they are
 * issued, and Redis appends them in that order; a stream keeps it for its reader. So what one thread
 * appends for one browser stays in order end to end, as long as it is issued in order: each
 * browser's frames are handed over by one thread at a time at its edge, and what the line tells a
 * client leaves its mailbox one message at a time.
 */
final class ClusterBus implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterBus.class);

	/** Who holds the line: the value is the leader's instance id, with the lease as its time to live. */
	static final String LEADER_KEY = "webphone:cluster:leader";

	/** What the edges send the leader: browsers opening, their frames, their closes. */
	static final String LEADER_STREAM = "webphone:cluster:to-leader";

	/** The leader reads its stream in this consumer group, so a new leader starts where the old one stopped. */
	static final String LEADER_GROUP = "leader";

	private final StatefulRedisConnection<String, String> connection;

	private final RedisAsyncCommands<String, String> commands;

	private final XAddArgs trimmed;

	ClusterBus(LettuceConnectionFactory connectionFactory, ClusterProperties properties) {
		this.connection = ((RedisClient) connectionFactory.getRequiredNativeClient()).connect(StringCodec.UTF8);
		this.commands = this.connection.async();
		this.trimmed = XAddArgs.Builder.maxlen(properties.streamLength()).approximateTrimming();
	}

	/** Present while the instance is alive: set with the lease as its time to live at every beat. */
	static String aliveKey(String instanceId) {
		return "webphone:cluster:alive:" + instanceId;
	}

	/** The stream of what the leader sends the browsers at an instance's edge. */
	static String edgeStream(String instanceId) {
		return "webphone:cluster:to-edge:" + instanceId;
	}

	/**
	 * Appends a message to a stream, in the order of the calls.
	 * @param onFailure runs when Redis did not take it (it is unreachable, say)
	 */
	void append(String stream, Map<String, String> message, Runnable onFailure) {
		this.commands.xadd(stream, this.trimmed, message).whenComplete((id, failure) -> {
			if (failure != null) {
				logger.debug("Redis did not take a message for " + stream, failure);
				onFailure.run();
			}
		});
	}

	/** Redis commands for the lease and the streams' upkeep, waited for by the caller. */
	RedisAsyncCommands<String, String> commands() {
		return this.commands;
	}

	@Override
	public void destroy() {
		this.connection.close();
	}

}
