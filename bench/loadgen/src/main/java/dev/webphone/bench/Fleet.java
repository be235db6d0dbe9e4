package dev.webphone.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Many browsers in one process: one Jetty {@link WebSocketClient} on a small thread pool, so the
 * number of threads does not grow with the number of connections. Handshakes look like Chrome's,
 * including the permessage-deflate offer that the server must decline.
 */
final class Fleet implements AutoCloseable {

	static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
			+ "Chrome/156.0.0.0 Safari/537.36";

	private final URI uri;

	private final String origin;

	private final String line;

	private final int inFlight;

	private final WebSocketClient client;

	private final List<Browser> browsers = new ArrayList<>();

	private final AtomicInteger failed = new AtomicInteger();

	Fleet(URI uri, String line, int inFlight, int threads) throws Exception {
		this.uri = uri;
		this.origin = "http://" + uri.getHost() + ":" + uri.getPort();
		this.line = line;
		this.inFlight = inFlight;
		QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(threads, 4));
		pool.setName("loadgen");
		HttpClient http = new HttpClient();
		http.setExecutor(pool);
		// The generator limits handshakes in flight itself; the client must not queue them a second time.
		http.setMaxConnectionsPerDestination(inFlight * 2);
		http.setMaxRequestsQueuedPerDestination(inFlight * 4);
		this.client = new WebSocketClient(http);
		this.client.setIdleTimeout(Duration.ofMinutes(10));
		this.client.setConnectTimeout(30_000);
		this.client.setStopTimeout(2_000);
		this.client.start();
	}

	/**
	 * Opens {@code count} connections, at most {@code inFlight} handshakes (and joins) at a time, and
	 * waits until each has been granted access or has failed, or the deadline passes.
	 * @return the time it took
	 */
	Duration open(int count, Duration deadline) throws InterruptedException {
		return open(count, null, deadline);
	}

	/**
	 * Opens one connection per secret, each resuming that secret's session, as {@link #open(int, Duration)}
	 * opens new ones.
	 */
	Duration resume(List<String> secrets, Duration deadline) throws InterruptedException {
		return open(secrets.size(), secrets, deadline);
	}

	private Duration open(int count, List<String> secrets, Duration deadline) throws InterruptedException {
		Semaphore slots = new Semaphore(this.inFlight);
		CountDownLatch settled = new CountDownLatch(count);
		long start = System.nanoTime();
		long end = start + deadline.toNanos();
		for (int i = 0; i < count; i++) {
			long left = end - System.nanoTime();
			if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
				System.out.printf("deadline passed after starting %d of %d connections%n", i, count);
				break;
			}
			Browser browser = new Browser(this.browsers.size(), this.line, (secrets != null) ? secrets.get(i) : null, () -> {
				slots.release();
				settled.countDown();
			});
			this.browsers.add(browser);
			try {
				this.client.connect(browser, request()).whenComplete((session, error) -> {
					if (error != null) {
						countFailure(error);
						browser.failed();
					}
				});
			}
			catch (Exception ex) {
				countFailure(ex);
				browser.failed();
			}
			if ((i + 1) % 1000 == 0) {
				System.out.printf("started %d connections, %d granted, %d failed, %.1f s%n", i + 1, granted(),
						this.failed.get(), (System.nanoTime() - start) / 1e9);
			}
		}
		settled.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private void countFailure(Throwable error) {
		if (this.failed.incrementAndGet() <= 5) {
			System.out.println("connection failed: " + error);
		}
	}

	private ClientUpgradeRequest request() {
		ClientUpgradeRequest request = new ClientUpgradeRequest(this.uri);
		ThreadLocalRandom random = ThreadLocalRandom.current();
		request.setHeader("Origin", this.origin);
		request.setHeader("User-Agent", USER_AGENT);
		request.setHeader("Accept-Encoding", "gzip, deflate, br, zstd");
		request.setHeader("Accept-Language", "en-GB,en-US;q=0.9,en;q=0.8");
		request.setHeader("Cache-Control", "no-cache");
		request.setHeader("Pragma", "no-cache");
		// A cookie as a page of the same site might carry: a session id and an analytics id.
		request.setHeader("Cookie", "SESSION=" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
				+ "; _ga=GA1.1." + random.nextInt(1_000_000_000) + "." + (System.currentTimeMillis() / 1000)
				+ "; theme=light; lang=en");
		request.addExtensions("permessage-deflate; client_max_window_bits");
		return request;
	}

	List<Browser> browsers() {
		return this.browsers;
	}

	int granted() {
		int granted = 0;
		for (Browser browser : this.browsers) {
			if (browser.granted()) {
				granted++;
			}
		}
		return granted;
	}

	int failed() {
		return this.failed.get();
	}

	int open() {
		int open = 0;
		for (Browser browser : this.browsers) {
			if (browser.isOpen()) {
				open++;
			}
		}
		return open;
	}

	@Override
	public void close() throws Exception {
		this.browsers.forEach(Browser::close);
		Thread.sleep(1000);
		this.client.stop();
	}

}
