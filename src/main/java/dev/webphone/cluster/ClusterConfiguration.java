package dev.webphone.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.webphone.access.ConnectionLimit;
import dev.webphone.edge.WebSocketEdge;
import dev.webphone.signaling.SignalingConfiguration;
import dev.webphone.signaling.SignalingProperties;
import dev.webphone.signaling.SignalingSessions;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamReadRequest;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Cluster mode: browsers connect to any instance's edge; the leader serves the line for all of them
 * over Redis streams. See {@code docs/scale-out.md}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@ConditionalOnCluster
class ClusterConfiguration implements WebSocketConfigurer {

	private static final Log logger = LogFactory.getLog(ClusterConfiguration.class);

	private final WebSocketEdge edge;

	private final ConnectionLimit connectionLimit;

	private final ClusterEdge clusterEdge;

	ClusterConfiguration(WebSocketEdge edge, ConnectionLimit connectionLimit, ClusterEdge clusterEdge) {
		this.edge = edge;
		this.connectionLimit = connectionLimit;
		this.clusterEdge = clusterEdge;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		this.edge.register(registry, SignalingConfiguration.PATH, this.connectionLimit.decorate(this.clusterEdge),
				this.connectionLimit);
	}

	/**
	 * While Redis is unreachable, a command fails at once instead of waiting in Lettuce's queue for the
	 * connection to come back: a browser's frame that cannot reach the leader closes its connection
	 * with 1013 ("try again later") right away, rather than after the command time-out.
	 */
	@Bean
	static LettuceClientOptionsBuilderCustomizer clusterRejectsCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	static ClusterBus clusterBus(LettuceConnectionFactory connectionFactory, ClusterProperties properties) {
		return new ClusterBus(connectionFactory, properties);
	}

	@Bean(destroyMethod = "stop")
	static StreamMessageListenerContainer<String, MapRecord<String, String, String>> clusterStreams(
			LettuceConnectionFactory connectionFactory) {
		// One thread per stream read: the edge's, and the leader's while this instance leads.
		SimpleAsyncTaskScheduler threads = new SimpleAsyncTaskScheduler();
		threads.setThreadNamePrefix("cluster-stream-");
		StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options = StreamMessageListenerContainerOptions
			.builder()
			.pollTimeout(Duration.ofSeconds(1))
			.batchSize(500)
			.executor(threads)
			.autoStartup(true)
			.build();
		return StreamMessageListenerContainer.create(connectionFactory, options);
	}

	@Bean
	static ClusterEdge clusterEdge(ClusterBus bus, ClusterProperties properties,
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> streams) {
		ClusterEdge edge = new ClusterEdge(bus, properties.instanceId());
		String stream = ClusterBus.edgeStream(properties.instanceId());
		try {
			// A stream of this name is an earlier life's: nothing in it is for the browsers of this one.
			bus.commands().del(stream).get(properties.lease().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.warn("Could not clear this instance's stream " + stream + ": " + ex);
		}
		streams.register(StreamReadRequest.builder(StreamOffset.create(stream, ReadOffset.from("0-0")))
			.cancelOnError((failure) -> false)
			.errorHandler((failure) -> logger.debug("Reading this edge's stream failed", failure))
			.build(), edge);
		return edge;
	}

	/**
	 * The line's state, written through to Redis while this instance leads. It lives as long as a
	 * session could still resume after the last leader's last beat: the resume grace period, plus the
	 * three leases a new leader may take to serve.
	 */
	@Bean
	static RedisLineJournal lineJournal(ClusterBus bus, ClusterProperties properties, SignalingProperties signaling) {
		return new RedisLineJournal(bus, properties.instanceId(),
				signaling.resumeGrace().plus(properties.lease().multipliedBy(3)), properties.lease().dividedBy(3));
	}

	@Bean
	static LeaderSessions leaderSessions(SignalingSessions sessions, ClusterBus bus,
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> streams,
			ClusterProperties properties, ClusterEdge edge, RedisLineJournal journal) {
		return new LeaderSessions(sessions, bus, streams, properties.instanceId(), edge, journal);
	}

	@Bean
	static Leadership leadership(ClusterBus bus, ClusterProperties properties, LeaderSessions sessions) {
		return new Leadership(bus, properties, sessions);
	}

	@Bean
	static ClusterHealthIndicator clusterHealthIndicator(Leadership leadership) {
		return new ClusterHealthIndicator(leadership);
	}

	@Bean
	static ClusterMetrics clusterMetrics(MeterRegistry registry, Leadership leadership, ClusterEdge edge,
			LeaderSessions sessions, RedisLineJournal journal) {
		return new ClusterMetrics(registry, leadership, edge, sessions, journal);
	}

	/** Gauges of this instance's part in the cluster. */
	static final class ClusterMetrics {

		ClusterMetrics(MeterRegistry registry, Leadership leadership, ClusterEdge edge, LeaderSessions sessions,
				RedisLineJournal journal) {
			Gauge.builder("webphone.cluster.leader.restored.sessions", sessions, LeaderSessions::restoredCount)
				.description("Sessions this instance restored from Redis when it last began to lead")
				.register(registry);
			Gauge.builder("webphone.cluster.journal.backlog", journal, RedisLineJournal::backlog)
				.description("Changes to the line's state noted by the leader and not yet written to Redis")
				.register(registry);
			FunctionCounter.builder("webphone.cluster.journal.refused", journal, RedisLineJournal::refusedCount)
				.description("Writes of the line's state Redis refused because the writer no longer led (fencing)")
				.register(registry);
			Gauge.builder("webphone.cluster.leader", leadership, (l) -> l.isLeading() ? 1 : 0)
				.description("1 while this instance leads the cluster and serves the line")
				.register(registry);
			Gauge.builder("webphone.cluster.redis.reachable", leadership, (l) -> l.isRedisReachable() ? 1 : 0)
				.description("1 while this instance's last beat reached Redis")
				.register(registry);
			Gauge.builder("webphone.cluster.edge.browsers", edge, ClusterEdge::browserCount)
				.description("Browsers connected to this instance")
				.register(registry);
			Gauge.builder("webphone.cluster.leader.sessions", sessions, LeaderSessions::sessionCount)
				.description("Browsers of the whole cluster whose sessions this instance holds as leader")
				.register(registry);
		}

	}

}
