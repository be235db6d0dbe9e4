package dev.webphone.ice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;

/**
 * A real coturn {@code turnserver} on the loopback interface for tests, accepting TURN REST
 * credentials made from a shared secret. Browser tests use it to force a call through a relay
 * ({@code iceTransportPolicy: "relay"}); the ICE tests use it to prove our credentials are the
 * ones coturn computes.
 *
 * <p>Start it with {@link #start(String)} after {@link #requireInstalled()}; close it when done.
 * It listens for UDP and TCP on {@link #port()} of 127.0.0.1 and relays on a small range of
 * loopback ports. Loopback peers are allowed, since in tests both browsers are on this machine.
 */
public final class Coturn implements AutoCloseable {

	/** The realm coturn puts in its challenges; clients learn it from there. */
	public static final String REALM = "webphone.test";

	private static final String HOST = "127.0.0.1";

	private static final int RELAY_PORTS = 16;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	/** How many times coturn is started on new ports before its start counts as failed. */
	private static final int START_ATTEMPTS = 3;

	private Process process;

	private final List<String> command;

	private final int port;

	private final Path directory;

	private final Path log;

	private Coturn(Process process, List<String> command, int port, Path directory, Path log) {
		this.process = process;
		this.command = command;
		this.port = port;
		this.directory = directory;
		this.log = log;
	}

	/**
	 * Whether {@code turnserver} and {@code turnutils_uclient} (Debian package {@code coturn}) are
	 * on the {@code PATH}.
	 */
	public static boolean isInstalled() {
		return LocalServers.executable("turnserver") != null && LocalServers.executable("turnutils_uclient") != null;
	}

	/**
	 * Skips the calling test when coturn is missing, loudly, unless {@code CI=true}: CI installs
	 * coturn, so there a missing one is a broken set-up and fails the test.
	 */
	public static void requireInstalled() {
		LocalServers.require(isInstalled(), "coturn (turnserver, turnutils_uclient) - apt-get install -y coturn");
	}

	/**
	 * Starts coturn with {@code use-auth-secret} and waits until it answers STUN over UDP and
	 * accepts TCP connections.
	 * @param sharedSecret the {@code static-auth-secret}, also to be configured as
	 * {@code webphone.ice.servers[n].shared-secret}
	 * @return the running server
	 */
	public static Coturn start(String sharedSecret) {
		for (int attempt = 1;; attempt++) {
			try {
				return startOnFreePorts(sharedSecret);
			}
			catch (NotListening ex) {
				// Ports found free can be taken before coturn binds them (by any process's outgoing
				// connections on a busy machine), and coturn then retries its bind for a minute. Other
				// ports, then.
				if (attempt == START_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private static Coturn startOnFreePorts(String sharedSecret) {
		try {
			Path directory = Files.createTempDirectory("coturn-");
			Path log = directory.resolve("turnserver.log");
			int port = freeUdpAndTcpPort();
			int minRelayPort = freeUdpRange(RELAY_PORTS);
			// stdbuf: coturn's log lines reach the file as they are written, for the failure message.
			List<String> command = List.of("stdbuf", "-oL", "turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls",
					"--listening-ip=" + HOST, "--relay-ip=" + HOST, "--listening-port=" + port,
					"--min-port=" + minRelayPort, "--max-port=" + (minRelayPort + RELAY_PORTS - 1),
					"--use-auth-secret", "--static-auth-secret=" + sharedSecret, "--realm=" + REALM,
					"--allow-loopback-peers", "--fingerprint", "--log-file=stdout", "--simple-log",
					// Keep coturn's state out of /var: the test may not own it, and runs must not share it.
					"--db=" + directory.resolve("turndb"), "--pidfile=" + directory.resolve("turnserver.pid"));
			Process process = launch(command, log);
			Coturn coturn = new Coturn(process, command, port, directory, log);
			try {
				coturn.awaitListening();
			}
			catch (RuntimeException | Error ex) {
				coturn.close();
				throw ex;
			}
			return coturn;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Coturn did not answer on its ports in time. */
	private static final class NotListening extends IllegalStateException {

		NotListening(String message) {
			super(message);
		}

	}

	private static Process launch(List<String> command, Path log) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
	}

	/**
	 * Kills coturn (SIGKILL, so its relays vanish as in a crash) and starts it again on the same ports
	 * once {@code whileDown} has run; every relay allocated before is gone.
	 */
	public void restart(Runnable whileDown) {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
			whileDown.run();
			this.process = launch(this.command, this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		awaitListening();
	}

	/** The UDP and TCP port coturn listens on, on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** The host to put in {@code turn:} URLs. */
	public String host() {
		return HOST;
	}

	/** {@code turn:} URLs for UDP and TCP, as a browser's {@code RTCIceServer.urls}. */
	public List<String> turnUrls() {
		return List.of("turn:" + HOST + ":" + this.port + "?transport=udp",
				"turn:" + HOST + ":" + this.port + "?transport=tcp");
	}

	/** What coturn logged so far, for failure messages. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/**
	 * Allocates a relay with {@code turnutils_uclient} and sends a message through it between two
	 * clients, as a browser would before media flows.
	 * @param username the TURN user name
	 * @param password the TURN password
	 * @return what the client reported, with its exit code
	 */
	public AllocationResult allocate(String username, String password) {
		try {
			// -y: two clients relay to each other; -c: no RTCP pair; -n 1: one message each way.
			Process client = new ProcessBuilder("turnutils_uclient", "-u", username, "-w", password, "-y", "-c", "-n",
					"1", "-p", Integer.toString(this.port), HOST)
				.redirectErrorStream(true)
				.start();
			client.getOutputStream().close();
			byte[] output = client.getInputStream().readAllBytes();
			if (!client.waitFor(30, TimeUnit.SECONDS)) {
				client.destroyForcibly();
				throw new IllegalStateException("turnutils_uclient did not finish");
			}
			return new AllocationResult(client.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		LocalServers.stop(this.process, this.directory);
	}

	private void awaitListening() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		boolean answersStun = false;
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(HOST))) {
			// The receive timeout paces the polling: each round waits for coturn's answer.
			socket.setSoTimeout(100);
			while (Instant.now().isBefore(deadline)) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"turnserver exited with " + this.process.exitValue() + ":\n" + log());
				}
				if (!answersStun) {
					answersStun = answersStunBinding(socket);
				}
				else if (acceptsTcp()) {
					return;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new NotListening("turnserver did not listen on " + HOST + ":" + this.port + " within "
				+ START_TIMEOUT + ":\n" + log());
	}

	private boolean answersStunBinding(DatagramSocket socket) throws IOException {
		byte[] transactionId = new byte[12];
		new SecureRandom().nextBytes(transactionId);
		// RFC 5389 Binding request: type 0x0001, no attributes, magic cookie, transaction id.
		ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
			.putInt(0x2112A442).put(transactionId);
		socket.send(new DatagramPacket(request.array(), 20, new InetSocketAddress(HOST, this.port)));
		byte[] buffer = new byte[1500];
		DatagramPacket response = new DatagramPacket(buffer, buffer.length);
		try {
			socket.receive(response);
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		// 0x0101 is a Binding success response; it must answer our own transaction.
		return response.getLength() >= 20 && buffer[0] == 0x01 && buffer[1] == 0x01
				&& Arrays.equals(Arrays.copyOfRange(buffer, 8, 20), transactionId);
	}

	private boolean acceptsTcp() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, this.port), 100);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freeUdpAndTcpPort() throws IOException {
		for (int attempt = 0; attempt < 50; attempt++) {
			try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName(HOST))) {
				int port = udp.getLocalPort();
				try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
					return port;
				}
				catch (IOException ex) {
					// taken for TCP: try another
				}
			}
		}
		throw new IllegalStateException("no port free for both UDP and TCP on " + HOST);
	}

	private static int freeUdpRange(int size) throws IOException {
		// Below Linux's ephemeral range (32768-60999), so ports handed out by the kernel rarely collide.
		for (int attempt = 0; attempt < 50; attempt++) {
			int first = ThreadLocalRandom.current().nextInt(20000, 32000 - size);
			List<DatagramSocket> held = new ArrayList<>();
			try {
				for (int port = first; port < first + size; port++) {
					held.add(new DatagramSocket(port, InetAddress.getByName(HOST)));
				}
				return first;
			}
			catch (IOException ex) {
				// part of the range is taken: try another
			}
			finally {
				held.forEach(DatagramSocket::close);
			}
		}
		throw new IllegalStateException("no free UDP port range of " + size + " on " + HOST);
	}

	/**
	 * What {@code turnutils_uclient} reported for one allocation attempt.
	 *
	 * @param exitCode 0 when the allocation and the relayed messages went through
	 * @param output the client's output
	 */
	public record AllocationResult(int exitCode, String output) {

		/** Whether the relay was allocated and carried the test messages. */
		public boolean succeeded() {
			return this.exitCode == 0 && !this.output.contains("Cannot complete Allocation");
		}

	}

}
