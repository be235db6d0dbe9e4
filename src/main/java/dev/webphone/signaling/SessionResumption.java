package dev.webphone.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.webphone.line.Client;
import dev.webphone.line.JournalledCall;
import dev.webphone.line.LineJournal;
import dev.webphone.line.Switchboard;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the number, and for a while the call, of a client whose connection was lost, and gives them
 * back to a new connection that proves the right with the client's resume secret.
 *
 * <p>A secret is 256 random bits from {@link SecureRandom}, known only to the connection it was given
 * to, and spent by the first resume that presents it (the map's atomic remove decides which of two
 * resumes wins); the winner gets a new one. Whether a resume or an expiry wins is decided by the
 * client's own state machine ({@link ResumableClient}), so either the resume happens fully or it is
 * refused and nothing changed. No lock is shared between clients.
 */
@Component
@ConditionalOnEmbeddedLine
class SessionResumption implements DisposableBean {

	private static final int SECRET_BYTES = 32;

	static final String PAGE_GONE = "the other party closed or reloaded its page";

	static final String SILENT = "the other party stopped responding";

	static final String LOST = "the other party's connection was lost";

	static final String NOT_BACK = "the other party did not reconnect in time";

	private final Switchboard switchboard;

	private final Duration grace;

	private final Duration callHold;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, ResumableClient> bySecret = new ConcurrentHashMap<>();

	/**
	 * Restored clients wait here under {@link #RESTORED} and the hash of their secret, since no more
	 * than the hash was recorded; whether there are any, so a single instance never hashes.
	 */
	private volatile boolean anyRestored;

	private static final String RESTORED = "#";

	private final LineJournal journal;

	private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
			new CustomizableThreadFactory("resume-grace-"));

	SessionResumption(Switchboard switchboard, SignalingProperties properties, ObjectProvider<LineJournal> journal) {
		this.switchboard = switchboard;
		this.journal = journal.getIfAvailable(() -> LineJournal.NONE);
		this.grace = properties.resumeGrace();
		// A dropped party's call waits as long as a silent one's would before it counts as dead.
		this.callHold = properties.idleTimeout();
		// A client that resumes again and again must not pile up cancelled timers.
		this.timers.setRemoveOnCancelPolicy(true);
	}

	/** The channel a connection joins its line with; resumable once {@link #joined}. */
	ResumableClient open(SignalingSession session) {
		ResumableClient[] created = new ResumableClient[1];
		created[0] = new ResumableClient(session, newSecret(), this.grace.toMillis(), () -> overflowed(created[0]));
		return created[0];
	}

	void joined(ResumableClient resumable, Client client) {
		resumable.bind(client);
		String secret = resumable.secret();
		this.bySecret.put(secret, resumable);
		record(client, secret);
	}

	/** Writes the client's resume right through, as the hash of its secret. */
	private void record(Client client, String secret) {
		if (this.journal.isRecording()) {
			this.journal.session(LineJournal.Session.of(client, hash(secret)));
		}
	}

	/**
	 * Takes up the clients and calls another process served (a cluster's earlier leader), each client
	 * as one whose connection was just lost: it may resume with its secret within the grace period,
	 * its call ends if it is not back within the idle time-out (as a dropped connection's does), and
	 * it leaves after the grace period. For a line with none of these clients yet.
	 * @param carryOn asked before each client: {@code false} stops the restore where it is
	 * @return how many clients were restored
	 */
	int restore(List<LineJournal.Session> sessions, List<JournalledCall> calls, BooleanSupplier carryOn) {
		Map<String, Client> byKey = new HashMap<>();
		for (LineJournal.Session session : sessions) {
			if (!carryOn.getAsBoolean()) {
				return byKey.size();
			}
			ResumableClient[] created = new ResumableClient[1];
			created[0] = ResumableClient.restored(RESTORED + session.secretHash(), this.grace.toMillis(),
					() -> overflowed(created[0]));
			ResumableClient resumable = created[0];
			Client client;
			try {
				client = this.switchboard.restore(session, resumable);
			}
			catch (RuntimeException ex) {
				// A line this instance is not configured with: nobody can resume there.
				continue;
			}
			resumable.bind(client);
			byKey.put(session.key(), client);
			this.anyRestored = true;
			this.bySecret.put(resumable.secret(), resumable);
			long detached = resumable.generation();
			resumable.addTimer(detached, schedule(this.callHold,
					() -> resumable.whileDetached(detached, () -> this.switchboard.endCall(client, LOST))));
			resumable.addTimer(detached, schedule(this.grace, () -> expire(resumable, detached, NOT_BACK)));
		}
		for (JournalledCall call : calls) {
			Client caller = byKey.get(call.line() + "/" + call.caller());
			Client callee = byKey.get(call.line() + "/" + call.callee());
			if (caller != null && callee != null) {
				this.switchboard.restore(call, caller, callee);
			}
		}
		return byKey.size();
	}

	/**
	 * Lets every client go at once, without a word to a line that is no longer served here (a cluster
	 * leader that stepped down); whoever serves the line now has them.
	 */
	void forgetAll() {
		for (ResumableClient resumable : List.copyOf(this.bySecret.values())) {
			expire(resumable, resumable.generation(), NOT_BACK);
		}
	}

	/** The resume secret as the journal records it: its SHA-256, never the secret itself. */
	static String hash(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Gives the client that {@code secret} belongs to to {@code to}: the messages held for it, then a
	 * {@code resumed} answer with its call, and asks the offerer of a connected call to restart ICE.
	 * A connection that still held the client is closed.
	 * @throws ResumeRefusedException when the secret is unknown, spent, or its client has ended
	 */
	ResumableClient resume(String secret, SignalingSession to) {
		ResumableClient resumable = this.bySecret.remove(secret);
		if (resumable == null && this.anyRestored) {
			resumable = this.bySecret.remove(RESTORED + hash(secret));
		}
		if (resumable == null) {
			throw new ResumeRefusedException("No session to resume: the secret is wrong, already used, or expired");
		}
		String fresh = newSecret();
		SignalingSession previous = resumable.resume(to, fresh);
		if (previous == null) {
			throw new ResumeRefusedException("No session to resume: the grace period is over");
		}
		// Before the browser hears of it: it may need it at once.
		this.bySecret.put(fresh, resumable);
		record(resumable.client(), fresh);
		if (previous != to) {
			previous.superseded();
		}
		if (!this.switchboard.resumed(resumable.client())) {
			// Another client holds its number now (one fixed by a token): the client has left the line.
			this.bySecret.remove(fresh, resumable);
			resumable.leave(to);
			throw new ResumeRefusedException("No session to resume: another connection took the number");
		}
		return resumable;
	}

	/** The connection {@code from}, which had joined as {@code resumable}, has closed for {@code cause}. */
	void closed(ResumableClient resumable, SignalingSession from, CloseCause cause) {
		Client client = resumable.client();
		if (cause == CloseCause.CLEAN) {
			if (resumable.leave(from)) {
				this.bySecret.remove(resumable.secret(), resumable);
				this.switchboard.leave(client);
			}
			return;
		}
		long detached = resumable.drop(from);
		if (detached < 0) {
			return;
		}
		resumable.whileDetached(detached, () -> this.switchboard.detached(client));
		switch (cause) {
			case PAGE_GONE -> resumable.whileDetached(detached, () -> this.switchboard.endCall(client, PAGE_GONE));
			case SILENT -> resumable.whileDetached(detached, () -> this.switchboard.endCall(client, SILENT));
			default -> resumable.addTimer(detached, schedule(this.callHold,
					() -> resumable.whileDetached(detached, () -> this.switchboard.endCall(client, LOST))));
		}
		resumable.addTimer(detached, schedule(this.grace, () -> expire(resumable, detached, NOT_BACK)));
	}

	/** The connection of the client with {@code number} on {@code line}, for tests that cut it. */
	Optional<ResumableClient> find(String line, String number) {
		return this.bySecret.values()
			.stream()
			.filter((r) -> r.client() != null && r.client().lineName().equals(line) && r.client().number().equals(number))
			.findFirst();
	}

	private void overflowed(ResumableClient resumable) {
		expire(resumable, resumable.generation(), NOT_BACK);
	}

	private void expire(ResumableClient resumable, long detached, String reason) {
		String secret = resumable.secret();
		if (resumable.expire(detached)) {
			this.bySecret.remove(secret, resumable);
			this.switchboard.leave(resumable.client(), reason);
		}
	}

	private Future<?> schedule(Duration delay, Runnable task) {
		return this.timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private String newSecret() {
		byte[] bytes = new byte[SECRET_BYTES];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public void destroy() {
		this.timers.shutdownNow();
	}

	/** A resume that cannot be granted; the connection stays open for a fresh {@code connect}. */
	static final class ResumeRefusedException extends RuntimeException {

		ResumeRefusedException(String message) {
			super(message, null, false, false);
		}

	}

}
