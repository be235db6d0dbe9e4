package dev.webphone.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.webphone.line.CallState;
import dev.webphone.line.CallType;
import dev.webphone.line.JournalledCall;
import dev.webphone.line.LineJournal;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leader's {@link LineJournal}: writes the line's sessions and calls through to two Redis hashes
 * ({@link #SESSIONS}, {@link #CALLS}), from which the next leader restores them.
 *
 * <p>The line only takes note, under its monitors: the latest value of each key replaces any that
 * is not yet written ({@link #pending}), and the key joins a queue once. One writer thread sends
 * what is noted, a batch at a time, and waits for each batch before the next: the notes about one key
 * reach Redis in the order they were taken, and what waits is bounded by the number of sessions and
 * calls, whatever Redis does. No Redis round trip under a monitor, no lock besides the map's.
 *
 * <p>Every batch goes through {@link #WRITE}, a Lua script that refuses it unless the lease still
 * names this instance and the epoch is the one this leadership got: a leader that was paused (a long
 * GC, SIGSTOP) past its lease cannot overwrite its successor's state. The script also sets the hashes'
 * time to live, and the writer sends an empty batch at each beat, so the state of a cluster whose
 * leader is gone for good expires by itself.
 */
final class RedisLineJournal implements LineJournal, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisLineJournal.class);

	/** Each session of the line, by line and number: JSON of {@link LineJournal.Session}. */
	static final String SESSIONS = "webphone:cluster:sessions";

	/** Each ringing or connected call, by {@link JournalledCall#key}: JSON of {@link JournalledCall}. */
	static final String CALLS = "webphone:cluster:calls";

	/** Counts leaderships: each one that takes the lease gets the next, see {@link Leadership}. */
	static final String EPOCH = "webphone:cluster:epoch";

	/**
	 * KEYS: lease, epoch, sessions, calls. ARGV: instance, epoch, time to live, then (op, field,
	 * value) triples: S/s set/delete a session, C/c a call. Refused (0) unless this leadership is
	 * still current.
	 */
	static final String WRITE = """
			if redis.call('get', KEYS[1]) ~= ARGV[1] or redis.call('get', KEYS[2]) ~= ARGV[2] then
			  return 0
			end
			for i = 4, #ARGV, 3 do
			  local op = ARGV[i]
			  if op == 'S' then redis.call('hset', KEYS[3], ARGV[i + 1], ARGV[i + 2])
			  elseif op == 's' then redis.call('hdel', KEYS[3], ARGV[i + 1])
			  elseif op == 'C' then redis.call('hset', KEYS[4], ARGV[i + 1], ARGV[i + 2])
			  elseif op == 'c' then redis.call('hdel', KEYS[4], ARGV[i + 1])
			  end
			end
			redis.call('pexpire', KEYS[3], ARGV[3])
			redis.call('pexpire', KEYS[4], ARGV[3])
			return 1
			""";

	private static final int BATCH = 500;

	private static final String DELETED = "";

	private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {
	};

	private final ClusterBus bus;

	private final String instanceId;

	private final Duration ttl;

	private final Duration beat;

	private final JsonMapper json = JsonMapper.builder().build();

	/** The latest value noted for each key not yet written: "S"/"C" and the field; {@link #DELETED} to delete. */
	private final Map<String, String> pending = new ConcurrentHashMap<>();

	/** The keys of {@link #pending}, each once, in the order they were first noted. */
	private final LinkedBlockingQueue<String> dirty = new LinkedBlockingQueue<>();

	/** The epoch of this instance's leadership while it records, 0 while it does not. */
	private volatile long epoch;

	private final AtomicLong refused = new AtomicLong();

	private final Thread writer;

	private volatile boolean running = true;

	/**
	 * @param ttl how long the state outlives the last leader's last beat
	 */
	RedisLineJournal(ClusterBus bus, String instanceId, Duration ttl, Duration beat) {
		this.bus = bus;
		this.instanceId = instanceId;
		this.ttl = ttl;
		this.beat = beat;
		this.writer = new Thread(this::write, "cluster-journal");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/** From now on the line's changes are written, under {@code epoch}. */
	void record(long epoch) {
		this.pending.clear();
		this.dirty.clear();
		this.epoch = epoch;
	}

	/** This instance no longer leads: nothing more is written, and what was not written is dropped. */
	void stop() {
		this.epoch = 0;
		this.pending.clear();
		this.dirty.clear();
	}

	/** How many batches Redis refused because this instance's leadership was over; for metrics. */
	long refusedCount() {
		return this.refused.get();
	}

	/** How many notes wait to be written; for metrics. */
	int backlog() {
		return this.pending.size();
	}

	@Override
	public boolean isRecording() {
		return this.epoch != 0;
	}

	@Override
	public void session(Session session) {
		note("S" + session.key(), encode(session));
	}

	@Override
	public void sessionEnded(String line, String number) {
		note("S" + line + "/" + number, DELETED);
	}

	@Override
	public void call(JournalledCall call) {
		note("C" + call.key(), encode(call));
	}

	@Override
	public void callEnded(String key) {
		note("C" + key, DELETED);
	}

	private void note(String key, String value) {
		if (this.epoch == 0) {
			return;
		}
		if (this.pending.put(key, value) == null) {
			this.dirty.add(key);
		}
	}

	private String encode(Object value) {
		return this.json.writeValueAsString(value);
	}

	/** The writer thread: a batch whenever notes wait, an empty one at each beat to keep the state alive. */
	private void write() {
		while (this.running) {
			try {
				String first = this.dirty.poll(this.beat.toMillis(), TimeUnit.MILLISECONDS);
				long epoch = this.epoch;
				if (epoch == 0) {
					continue;
				}
				List<String> keys = new ArrayList<>();
				if (first != null) {
					keys.add(first);
					this.dirty.drainTo(keys, BATCH - 1);
				}
				Map<String, String> batch = new LinkedHashMap<>();
				for (String key : keys) {
					String value = this.pending.remove(key);
					if (value != null) {
						batch.put(key, value);
					}
				}
				if (!send(epoch, batch)) {
					// Noted again meanwhile: the newer note stands. Else it is written with the next batch.
					batch.forEach((key, value) -> {
						if (this.epoch == epoch && this.pending.putIfAbsent(key, value) == null) {
							this.dirty.add(key);
						}
					});
					Thread.sleep(this.beat.toMillis() / 4);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("The line's journal writer failed", ex);
			}
		}
	}

	/** @return whether the batch was written or refused for good; {@code false} to try it again */
	private boolean send(long epoch, Map<String, String> batch) {
		List<String> args = new ArrayList<>(3 + batch.size() * 3);
		args.add(this.instanceId);
		args.add(Long.toString(epoch));
		args.add(Long.toString(this.ttl.toMillis()));
		batch.forEach((key, value) -> {
			char kind = key.charAt(0);
			args.add(String.valueOf(value.equals(DELETED) ? Character.toLowerCase(kind) : kind));
			args.add(key.substring(1));
			args.add(value);
		});
		try {
			Long written = this.bus.commands()
				.<Long>eval(WRITE, ScriptOutputType.INTEGER,
						new String[] { ClusterBus.LEADER_KEY, EPOCH, SESSIONS, CALLS }, args.toArray(String[]::new))
				.get(this.beat.toMillis() * 2, TimeUnit.MILLISECONDS);
			if (written == null || written != 1) {
				this.refused.incrementAndGet();
				logger.warn("Redis refused " + batch.size() + " change(s) to the line's state: epoch " + epoch
						+ " of instance " + this.instanceId + " no longer leads");
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
		catch (Exception ex) {
			logger.debug("Could not write the line's state to Redis", ex);
			return false;
		}
	}

	/**
	 * The state the last leader wrote, as it stands in Redis.
	 * @throws Exception when Redis cannot be read
	 */
	Snapshot read() throws Exception {
		long timeout = this.beat.toMillis() * 3;
		Map<String, String> sessions = this.bus.commands().hgetall(SESSIONS).get(timeout, TimeUnit.MILLISECONDS);
		Map<String, String> calls = this.bus.commands().hgetall(CALLS).get(timeout, TimeUnit.MILLISECONDS);
		List<Session> restoredSessions = new ArrayList<>(sessions.size());
		for (String value : sessions.values()) {
			try {
				Map<String, Object> fields = this.json.readValue(value, PROPERTIES);
				@SuppressWarnings("unchecked")
				Map<String, Object> properties = (Map<String, Object>) fields.getOrDefault("properties", Map.of());
				restoredSessions.add(new Session((String) fields.get("line"), (String) fields.get("number"), properties,
						(String) fields.get("secretHash")));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored a session the journal could not read: " + ex);
			}
		}
		List<JournalledCall> restoredCalls = new ArrayList<>(calls.size());
		for (String value : calls.values()) {
			try {
				Map<String, Object> f = this.json.readValue(value, PROPERTIES);
				restoredCalls.add(new JournalledCall((String) f.get("line"), (String) f.get("caller"),
						(String) f.get("callee"), (String) f.get("dialled"), (String) f.get("callerLeg"),
						(String) f.get("calleeLeg"), CallState.valueOf((String) f.get("state")),
						CallType.valueOf((String) f.get("type"))));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored a call the journal could not read: " + ex);
			}
		}
		return new Snapshot(restoredSessions, restoredCalls);
	}

	@Override
	public void destroy() throws InterruptedException {
		this.running = false;
		this.writer.interrupt();
		this.writer.join(TimeUnit.SECONDS.toMillis(5));
	}

	/** What a new leader restores. */
	record Snapshot(List<Session> sessions, List<JournalledCall> calls) {
	}

}
