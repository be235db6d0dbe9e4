package dev.webphone.line;

/**
 * How often clients from one remote address may join: a token bucket per address, so that a client
 * joining and leaving in a loop cannot make every other client of the line hear of it.
 *
 * <p>The buckets are a fixed table indexed by the address's hash, so memory stays the same however
 * many addresses come: two addresses that share a bucket share its allowance, which errs on the side
 * of refusing a little early rather than of holding a bucket per address ever seen.
 */
final class JoinRate {

	private static final int BUCKETS = 4096;

	private final double capacity;

	private final double perNano;

	private final double[] tokens = new double[BUCKETS];

	private final long[] refilledAt = new long[BUCKETS];

	/** Striped locks, so that joins from different addresses rarely wait for each other. */
	private final Object[] locks = new Object[64];

	JoinRate(int burst, int perSecond) {
		this.capacity = burst;
		this.perNano = perSecond / 1e9;
		java.util.Arrays.fill(this.tokens, burst);
		java.util.Arrays.fill(this.refilledAt, System.nanoTime());
		java.util.Arrays.setAll(this.locks, (i) -> new Object());
	}

	/**
	 * Takes one join from the allowance of {@code source}.
	 * @return whether the client may join; always when the limit is off or the source unknown
	 */
	boolean tryJoin(String source) {
		if (this.perNano == 0 || source == null || source.isEmpty()) {
			return true;
		}
		int bucket = Math.floorMod(source.hashCode() * 0x9E3779B9, BUCKETS);
		synchronized (this.locks[bucket % this.locks.length]) {
			long now = System.nanoTime();
			double available = Math.min(this.capacity,
					this.tokens[bucket] + (now - this.refilledAt[bucket]) * this.perNano);
			this.refilledAt[bucket] = now;
			if (available < 1) {
				this.tokens[bucket] = available;
				return false;
			}
			this.tokens[bucket] = available - 1;
			return true;
		}
	}

}
