package dev.webphone.bench;

import java.net.URI;
import java.time.Duration;

/**
 * Opens {@code --clients} browsers that join {@code --line} and then say nothing; holds them for
 * {@code --hold} (longer than the server's ping interval) and counts how many are still open and
 * have been pinged.
 */
final class IdleCapacity {

	private IdleCapacity() {
	}

	static int run(URI uri, Options options) throws Exception {
		int clients = options.number("clients", 19_000);
		String line = options.text("line", "Bench");
		Duration hold = options.duration("hold", "40s");
		Duration deadline = options.duration("connect-deadline", "300s");
		try (Fleet fleet = new Fleet(uri, line, options.number("in-flight", 200), options.number("threads", 8))) {
			Duration took = fleet.open(clients, deadline);
			int granted = fleet.granted();
			System.out.printf("all-connected granted=%d failed=%d not-granted=%d seconds=%.1f%n", granted,
					fleet.failed(), clients - granted, took.toMillis() / 1000.0);
			long holdEnd = System.nanoTime() + hold.toNanos();
			while (System.nanoTime() < holdEnd) {
				Thread.sleep(Math.min(5_000, Math.max(1, (holdEnd - System.nanoTime()) / 1_000_000)));
				System.out.printf("holding: open=%d pinged=%d%n", fleet.open(), pinged(fleet));
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
							+ "closed_while_idle=%d hold_seconds=%d%n",
					clients, granted, clients - granted, took.toMillis() / 1000.0, open, pinged, closedByServer,
					hold.toSeconds());
			return (open == clients && pinged == clients) ? 0 : 1;
		}
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
