package dev.webphone.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a free loopback port, started
 * by the test that needs it, with no persistence: each start is an empty store. It can be stopped and
 * started again on the same port, as an operator's restart of Redis would be.
 */
public final class RedisServer implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final List<String> command;

	private final int port;

	private final Path directory;

	private final Path log;

	private Process process;

	private RedisServer(List<String> command, int port, Path directory, Path log) {
		this.command = command;
		this.port = port;
		this.directory = directory;
		this.log = log;
	}

	/** Whether {@code redis-server} is on the {@code PATH}. */
	public static boolean isInstalled() {
		return LocalServers.executable("redis-server") != null;
	}

	/**
	 * Skips the calling test when Redis is missing, loudly, unless {@code CI=true}: CI installs it, so
	 * there a missing one is a broken set-up and fails the test.
	 */
	public static void requireInstalled() {
		LocalServers.require(isInstalled(), "redis-server - apt-get install -y redis-server");
	}

	/** Starts an empty Redis and waits until it answers {@code PING}. */
	public static RedisServer start() {
		try {
			Path directory = Files.createTempDirectory("redis-");
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
				port = socket.getLocalPort();
			}
			List<String> command = List.of("redis-server", "--bind", HOST, "--port", Integer.toString(port),
					"--save", "", "--appendonly", "no", "--dir", directory.toString(), "--daemonize", "no",
					"--protected-mode", "no");
			RedisServer redis = new RedisServer(command, port, directory, directory.resolve("redis.log"));
			redis.launch();
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port Redis listens on, on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** The host Redis listens on. */
	public String host() {
		return HOST;
	}

	/** {@code redis://} URL of this server, for {@code spring.data.redis.url}. */
	public String url() {
		return "redis://" + HOST + ":" + this.port;
	}

	/** Whether the server is running (between {@link #stop()} and {@link #launch()} it is not). */
	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Kills Redis at once (SIGKILL), as a crash would; everything it held is gone. */
	public void stop() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Starts Redis (again) on the same port, empty, and waits until it answers {@code PING}. */
	public void launch() {
		try {
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + this.process.exitValue() + ":\n" + log());
			}
			if (answersPing()) {
				return;
			}
			this.process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
		}
		stop();
		throw new IllegalStateException("redis-server did not answer on " + url() + " within " + START_TIMEOUT
				+ ":\n" + log());
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, this.port), 200);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] reply = in.readNBytes(7);
			return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** What Redis logged so far, for failure messages. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	@Override
	public void close() {
		LocalServers.stop(this.process, this.directory);
	}

}
