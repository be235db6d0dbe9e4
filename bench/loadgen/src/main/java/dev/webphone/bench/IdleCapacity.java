package dev.webphone.bench;

import java.net.URI;
import java.time.Duration;

/**
 * Opens {@code --clients} browsers that join {@code --line} and then say nothing; holds them for
 * {@code --hold} (longer than the server's ping interval) and counts how many are still open and
 * have been pinged. With {@code --presence=true} it also waits, within the hold, until every browser
 * has been told of every other one ({@code N x (N - 1)} {@code client-state} messages in all).
 */
final class IdleCapacity {

	private IdleCapacity() {
	}

	static int run(URI uri, Options options) throws Exception {
		int clients = options.number("clients", 19_000);
		String line = options.text("line", "Bench");
		Duration hold = options.duration("hold", "40s");
		Duration deadline = options.duration("connect-deadline", "300s");
		boolean presence = Boolean.parseBoolean(options.text("presence", "false"));
		long start = System.nanoTime();
		try (Fleet fleet = new Fleet(uri, line, options.number("in-flight", 200), options.number("threads", 8))) {
			Duration took = fleet.open(clients, deadline);
			int granted = fleet.granted();
			System.out.printf("all-connected granted=%d failed=%d not-granted=%d seconds=%.1f%n", granted,
					fleet.failed(), clients - granted, took.toMillis() / 1000.0);
			long holdEnd = System.nanoTime() + hold.toNanos();
			long expectedPresence = presence ? (long) granted * (granted - 1) : 0;
			double presenceSeconds = -1;
			long nextReport = 0;
			while (System.nanoTime() < holdEnd) {
				Thread.sleep(100);
				if (presenceSeconds < 0 && presenceMessages(fleet) >= expectedPresence) {
					presenceSeconds = (System.nanoTime() - start) / 1e9;
					System.out.printf("presence settled: %d client-state messages, %.1f s after the first connect%n",
							presenceMessages(fleet), presenceSeconds);
				}
				if (System.nanoTime() >= nextReport) {
					System.out.printf("holding: open=%d pinged=%d client-state=%d of %d%n", fleet.open(), pinged(fleet),
							presenceMessages(fleet), expectedPresence);
					nextReport = System.nanoTime() + 5_000_000_000L;
				}
			}
			int open = fleet.open();
			int pinged = pinged(fleet);
			int closedByServer = 0;
			for (Browser browser : fleet.browsers()) {
				if (browser.granted() && !browser.isOpen()) {
					closedByServer++;
					if (closedByServer <= 5) {
						System.out.println("closed while idle: browser " + browser.index + " code " + browser.closeCode());
					}
				}
			}
			System.out.printf(
					"RESULT clients=%d granted=%d connect_failures=%d connect_seconds=%.1f held_open=%d pinged=%d "
							+ "closed_while_idle=%d hold_seconds=%d client_state_messages=%d of %d presence_settled_seconds=%s%n",
					clients, granted, clients - granted, took.toMillis() / 1000.0, open, pinged, closedByServer,
					hold.toSeconds(), presenceMessages(fleet), expectedPresence,
					!presence ? "n/a" : (presenceSeconds < 0) ? "never" : String.format("%.1f", presenceSeconds));
			return (open == clients && pinged == clients) ? 0 : 1;
		}
	}

	private static long presenceMessages(Fleet fleet) {
		long count = 0;
		for (Browser browser : fleet.browsers()) {
			count += browser.presenceMessages();
		}
		return count;
	}

	/** Open connections that have had at least one ping from the server. */
	private static int pinged(Fleet fleet) {
		int pinged = 0;
		for (Browser browser : fleet.browsers()) {
			if (browser.isOpen() && browser.pings() > 0) {
				pinged++;
			}
		}
		return pinged;
	}

}
