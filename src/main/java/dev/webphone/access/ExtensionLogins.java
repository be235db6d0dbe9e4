package dev.webphone.access;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.webphone.line.AccessDeniedException;
import dev.webphone.line.LineProperties;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks the passwords of the lines' extensions ({@code webphone.lines[].extensions}).
 *
 * <p>Passwords are stored encoded and checked with Spring Security's delegating encoder, so
 * '{bcrypt}...' and the other schemes it knows work. An unknown extension and a wrong password get
 * the same answer, after the same work, so that answers do not tell which extensions exist. Each
 * extension takes {@link #FAILURES_PER_MINUTE} wrong passwords a minute; beyond that it is refused
 * until the minute has passed, whatever the password: guessing stays slow from any number of
 * addresses.
 */
final class ExtensionLogins {

	static final int FAILURES_PER_MINUTE = 5;

	static final String REFUSED = "Wrong extension number or password";

	private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	/** Encoded password by line, then by number. */
	private final Map<String, Map<String, String>> passwords = new HashMap<>();

	/** Only for configured extensions, so bounded by the configuration. */
	private final Map<String, FailureLimit> failures = new ConcurrentHashMap<>();

	/** Checked instead of a password for an unknown extension, so that it costs the same. */
	private final String unknown;

	ExtensionLogins(LineProperties lines) {
		for (LineProperties.Spec line : lines.lines()) {
			Map<String, String> ofLine = new HashMap<>();
			for (LineProperties.Extension extension : line.extensions()) {
				try {
					this.encoder.matches("", extension.password());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("webphone.lines[" + line.name() + "].extensions[" + extension.number()
							+ "].password: " + ex.getMessage() + " (use '{bcrypt}...' or '{noop}...')", ex);
				}
				ofLine.put(extension.number(), extension.password());
			}
			this.passwords.put(line.name(), ofLine);
		}
		this.unknown = this.encoder.encode("an extension that does not exist");
	}

	/** Whether {@code number} is an extension of {@code line}, which only its password may claim. */
	boolean isExtension(String line, String number) {
		return this.passwords.getOrDefault(line, Map.of()).containsKey(number);
	}

	/**
	 * @throws AccessDeniedException unless {@code password} is that of extension {@code number} of
	 * {@code line}
	 */
	void check(String line, String number, String password) {
		Map<String, String> ofLine = this.passwords.getOrDefault(line, Map.of());
		String encoded = ofLine.get(number);
		if (encoded == null) {
			this.encoder.matches(password, this.unknown);
			throw new AccessDeniedException(REFUSED);
		}
		FailureLimit limit = this.failures.computeIfAbsent(line + "/" + number, (key) -> new FailureLimit());
		if (!limit.mayTry()) {
			throw new AccessDeniedException("Too many wrong passwords for this extension; try again in a minute");
		}
		if (!this.encoder.matches(password, encoded)) {
			limit.failed();
			throw new AccessDeniedException(REFUSED);
		}
	}

	/** The wrong passwords of one extension in the last minute, at most {@link #FAILURES_PER_MINUTE}. */
	private static final class FailureLimit {

		private final long[] times = new long[FAILURES_PER_MINUTE];

		private int next;

		synchronized boolean mayTry() {
			long oldest = this.times[this.next];
			return oldest == 0 || System.nanoTime() - oldest > TimeUnit.MINUTES.toNanos(1);
		}

		synchronized void failed() {
			this.times[this.next] = System.nanoTime();
			this.next = (this.next + 1) % this.times.length;
		}

	}

}
