package dev.webphone.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;

/**
 * A real HAProxy (Debian package {@code haproxy}) on a free loopback port in front of several
 * Webphone instances, configured as {@code docs/deployment.md} advises: HTTP mode (WebSocket upgrades
 * pass through), least connections, a health check on {@code /readyz} so a dead instance leaves the pool.
 */
public final class Haproxy implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path directory;

	private final Path log;

	private Haproxy(Process process, int port, Path directory, Path log) {
		this.process = process;
		this.port = port;
		this.directory = directory;
		this.log = log;
	}

	/** Skips the calling test when HAProxy is missing, loudly, unless {@code CI=true}, where it fails. */
	public static void requireInstalled() {
		LocalServers.require(LocalServers.executable("haproxy") != null, "haproxy - apt-get install -y haproxy");
	}

	/**
	 * Starts HAProxy balancing over the given ports of 127.0.0.1 and waits until it accepts
	 * connections.
	 * @param backendPorts the HTTP ports of the instances
	 */
	public static Haproxy start(List<Integer> backendPorts) {
		try {
			Path directory = Files.createTempDirectory("haproxy-");
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
				port = socket.getLocalPort();
			}
			Path config = directory.resolve("haproxy.cfg");
			Files.writeString(config, config(port, backendPorts));
			Path log = directory.resolve("haproxy.log");
			Path haproxy = LocalServers.executable("haproxy");
			Process process = new ProcessBuilder(List.of(haproxy.toString(), "-db", "-f", config.toString()))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			Haproxy proxy = new Haproxy(process, port, directory, log);
			try {
				proxy.awaitListening();
			}
			catch (RuntimeException ex) {
				proxy.close();
				throw ex;
			}
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The configuration {@code docs/deployment.md} shows, on loopback ports. */
	static String config(int port, List<Integer> backendPorts) {
		StringBuilder config = new StringBuilder("""
				global
				    maxconn 4096
				defaults
				    mode http
				    timeout connect 2s
				    timeout client 60s
				    timeout server 60s
				    # A WebSocket stays open between pings (every 5 s) for as long as the call lasts.
				    timeout tunnel 1h
				frontend webphone
				    bind %s:%d
				    default_backend instances
				backend instances
				    # Signalling connections last as long as a page is open: spread them by count.
				    balance leastconn
				    # A connection to an instance that just died goes to another one.
				    option redispatch
				    retries 3
				    option httpchk GET /readyz
				    http-check expect status 200
				    default-server inter 500ms fall 2 rise 2
				""".formatted(HOST, port));
		for (int i = 0; i < backendPorts.size(); i++) {
			config.append("    server instance").append(i).append(' ').append(HOST).append(':')
				.append(backendPorts.get(i)).append(" check\n");
		}
		return config.toString();
	}

	/** The port browsers connect to, on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** {@code http://} base URL of the proxy. */
	public String url() {
		return "http://" + HOST + ":" + this.port;
	}

	/** What HAProxy logged so far, for failure messages. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private void awaitListening() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("haproxy exited with " + this.process.exitValue() + ":\n" + log());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(HOST, this.port), 200);
				return;
			}
			catch (IOException ex) {
				this.process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
			}
		}
		throw new IllegalStateException("haproxy did not listen on " + url() + " within " + START_TIMEOUT + ":\n" + log());
	}

	@Override
	public void close() {
		LocalServers.stop(this.process, this.directory);
	}

}
