package dev.webphone.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How long the browsers of an instance that dies take to resume on another: {@code --clients}
 * browsers join through {@code --url}; the generator prints {@code READY} and waits for the first of
 * them to lose its connection (the benchmark script kills that instance); then, as the pages'
 * reconnect logic would, each opens a new connection to {@code --resume-url} and resumes its session
 * with its secret, at most {@code --in-flight} at a time. Prints the time from the first lost
 * connection to the last resumed session.
 */
final class ResumeTime {

	private ResumeTime() {
	}

	static int run(URI uri, Options options) throws Exception {
		int clients = options.number("clients", 2000);
		String line = options.text("line", "Bench");
		URI resumeUri = URI.create(options.text("resume-url", uri.toString()));
		int inFlight = options.number("in-flight", 200);
		Duration deadline = options.duration("deadline", "120s");
		try (Fleet first = new Fleet(uri, line, inFlight, options.number("threads", 4));
				Fleet second = new Fleet(resumeUri, line, inFlight, options.number("threads", 4))) {
			Duration took = first.open(clients, deadline);
			System.out.printf("all-connected granted=%d of %d seconds=%.1f%n", first.granted(), clients,
					took.toMillis() / 1000.0);
			if (first.granted() < clients) {
				System.out.println("RESULT error=not-all-connected granted=" + first.granted());
				return 1;
			}
			System.out.println("READY");
			System.out.flush();
			long waitUntil = System.nanoTime() + deadline.toNanos();
			while (first.open() == clients) {
				if (System.nanoTime() > waitUntil) {
					System.out.println("RESULT error=no-connection-lost");
					return 1;
				}
				Thread.sleep(5);
			}
			long lost = System.nanoTime();
			List<String> secrets = first.browsers().stream().map(Browser::resumeSecret).toList();
			second.resume(secrets, deadline);
			double seconds = (System.nanoTime() - lost) / 1e9;
			int resumed = second.granted();
			long sameNumbers = 0;
			for (int i = 0; i < clients; i++) {
				String before = first.browsers().get(i).phoneNumber();
				if (before.equals(second.browsers().get(i).phoneNumber())) {
					sameNumbers++;
				}
			}
			System.out.printf("RESULT clients=%d resumed=%d same_numbers=%d seconds_from_first_loss_to_last_resume=%.2f "
					+ "failed=%d%n", clients, resumed, sameNumbers, seconds, second.failed());
			return (resumed == clients && sameNumbers == clients) ? 0 : 1;
		}
	}

}
