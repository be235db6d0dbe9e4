package dev.webphone.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.webphone.support.LocalServers;

/**
 * A real SIP phone: baresip (Debian package {@code baresip}) in a {@link NetworkNamespace}, answering
 * every call at once and sending a tone of its own frequency (a WAV file made with {@code sox}), in
 * PCMU. What it hears is written to WAV files ({@code sndfile}) for the test to analyse; its
 * {@code ctrl_tcp} interface lets the test dial and hang up, and tells it what happened to its calls.
 * It plays what it hears to the {@code aubridge} player: the null ALSA player spins a core.
 */
public final class Baresip implements AutoCloseable {

	/** baresip's SIP port inside the namespace. */
	static final int SIP_PORT = 5060;

	private static final int CONTROL_PORT = 4444;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*true");

	private static final Pattern EVENT_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([A-Z_]+)\"");

	private static final Pattern EVENT_PARAM = Pattern.compile("\"param\"\\s*:\\s*\"([^\"]*)\"");

	private final NetworkNamespace namespace;

	private final Path directory;

	private final Process process;

	private final List<String> events = new ArrayList<>();

	private Socket control;

	private Baresip(NetworkNamespace namespace, Path directory, Process process) {
		this.namespace = namespace;
		this.directory = directory;
		this.process = process;
	}

	/** Whether baresip and sox are installed. */
	static boolean isInstalled() {
		return LocalServers.executable("baresip") != null && LocalServers.executable("sox") != null
				&& Files.exists(Path.of("/usr/lib/baresip/modules/aubridge.so"));
	}

	/**
	 * Starts baresip in {@code namespace}, sending a tone of {@code toneHz}, and waits until it answers
	 * a SIP {@code OPTIONS} and its control interface is connected.
	 */
	static Baresip start(NetworkNamespace namespace, int toneHz) {
		Path directory;
		try {
			directory = Files.createTempDirectory("baresip-");
			Files.createDirectories(directory.resolve("heard"));
			NetworkNamespace.run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16",
					directory.resolve("tone.wav").toString(), "synth", "600", "sine", Integer.toString(toneHz), "vol",
					"0.5");
			writeConfiguration(directory, namespace);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Process process;
		try {
			process = new ProcessBuilder(namespace.inside(List.of("baresip", "-f", directory.toString())))
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("baresip.log").toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			LocalServers.stop(null, directory);
			throw new UncheckedIOException(ex);
		}
		Baresip baresip = new Baresip(namespace, directory, process);
		try {
			baresip.awaitStarted();
			return baresip;
		}
		catch (RuntimeException ex) {
			baresip.close();
			throw ex;
		}
	}

	private static void writeConfiguration(Path directory, NetworkNamespace namespace) throws IOException {
		Files.writeString(directory.resolve("config"), """
				poll_method		epoll
				sip_listen		%1$s:%2$d
				audio_player		aubridge,nil
				audio_source		aufile,%3$s/tone.wav
				audio_alert		aubridge,nil
				audio_level		no
				rtp_stats		no
				module_path		/usr/lib/baresip/modules
				module			g711.so
				module			aufile.so
				module			aubridge.so
				module			sndfile.so
				module_app		account.so
				module_app		menu.so
				module_app		ctrl_tcp.so
				ctrl_tcp_listen		%1$s:%4$d
				snd_path		%3$s/heard
				""".formatted(namespace.address(), SIP_PORT, directory, CONTROL_PORT));
		Files.writeString(directory.resolve("accounts"), "<sip:phone@%s:%d>;regint=0;answermode=auto;audio_codecs=PCMU\n"
			.formatted(namespace.address(), SIP_PORT));
		Files.writeString(directory.resolve("contacts"), "");
	}

	/** The phone's SIP URI, which reaches it directly. */
	public String uri() {
		return "sip:phone@" + this.namespace.address() + ":" + SIP_PORT;
	}

	private void awaitStarted() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("baresip exited with " + this.process.exitValue() + ":\n" + log());
			}
			if (answersOptions() && connectControl()) {
				return;
			}
			this.process.onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
		}
		throw new IllegalStateException("baresip did not answer on " + uri() + " within " + START_TIMEOUT + ":\n" + log());
	}

	/** Whether the phone answers a SIP {@code OPTIONS} with {@code 200 OK}. */
	public boolean answersOptions() {
		return answersOptions(this.namespace, uri(), SIP_PORT);
	}

	/** Whether {@code uri}, at port {@code port} of the namespace's address, answers {@code OPTIONS}. */
	static boolean answersOptions(NetworkNamespace namespace, String uri, int port) {
		String address = namespace.address();
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(namespace.hostAddress()))) {
			socket.setSoTimeout(500);
			String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
			String request = "OPTIONS " + uri + " SIP/2.0\r\n" + "Via: SIP/2.0/UDP " + namespace.hostAddress()
					+ ":" + socket.getLocalPort() + ";branch=" + branch + "\r\n" + "Max-Forwards: 70\r\n"
					+ "From: <sip:test@" + namespace.hostAddress() + ">;tag=" + branch.substring(7, 15) + "\r\n"
					+ "To: <" + uri + ">\r\n" + "Call-ID: " + branch + "\r\n" + "CSeq: 1 OPTIONS\r\n"
					+ "Content-Length: 0\r\n\r\n";
			byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
			socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(address, port)));
			byte[] buffer = new byte[4096];
			DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
			socket.receive(reply);
			return new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200");
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private boolean connectControl() {
		try {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(this.namespace.address(), CONTROL_PORT), 500);
			this.control = socket;
			Thread reader = new Thread(() -> readControl(socket), "baresip-control");
			reader.setDaemon(true);
			reader.start();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Reads the netstrings baresip sends ({@code length:json,}), keeping the events. */
	private void readControl(Socket socket) {
		try (InputStream in = socket.getInputStream()) {
			while (true) {
				int length = 0;
				int c;
				while ((c = in.read()) != ':') {
					if (c < 0) {
						return;
					}
					length = length * 10 + (c - '0');
				}
				String message = new String(in.readNBytes(length), StandardCharsets.UTF_8);
				in.read();
				synchronized (this.events) {
					this.events.add(message);
					this.events.notifyAll();
				}
			}
		}
		catch (IOException ex) {
			// baresip is gone.
		}
	}

	/** Sends a command to baresip's control interface ({@code dial}, {@code hangup}, ...). */
	void command(String command, String params) {
		String json = "{\"command\":\"" + command + "\",\"params\":\"" + ((params != null) ? params : "")
				+ "\",\"token\":\"t\"}";
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		try {
			OutputStream out = this.control.getOutputStream();
			out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.write(',');
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Dials {@code uri}. */
	public void dial(String uri) {
		command("dial", uri);
	}

	/** Hangs up the current call. */
	public void hangUp() {
		command("hangup", null);
	}

	/** The types of the events baresip reported so far ({@code CALL_INCOMING}, {@code CALL_CLOSED}...). */
	public List<String> eventTypes() {
		synchronized (this.events) {
			List<String> types = new ArrayList<>();
			for (String event : this.events) {
				Matcher matcher = EVENT_TYPE.matcher(event);
				if (EVENT.matcher(event).find() && matcher.find()) {
					types.add(matcher.group(1));
				}
			}
			return types;
		}
	}

	/** The parameters of the events of {@code type} so far (a DTMF key, an SDP's kind...), in order. */
	public List<String> eventParams(String type) {
		synchronized (this.events) {
			List<String> params = new ArrayList<>();
			for (String event : this.events) {
				Matcher matcher = EVENT_TYPE.matcher(event);
				if (EVENT.matcher(event).find() && matcher.find() && matcher.group(1).equals(type)) {
					Matcher param = EVENT_PARAM.matcher(event);
					params.add(param.find() ? param.group(1) : "");
				}
			}
			return params;
		}
	}

	/** How many re-INVITEs baresip got in its calls so far (its log says each). */
	public int reInvites() {
		String log = log();
		int count = 0;
		for (int at = log.indexOf("call: got re-INVITE"); at >= 0; at = log.indexOf("call: got re-INVITE", at + 1)) {
			count++;
		}
		return count;
	}

	/** Puts the current call on hold ({@code true}) or takes it off, with a re-INVITE. */
	public void hold(boolean hold) {
		command(hold ? "hold" : "resume", null);
	}

	/** Waits until baresip has reported {@code count} events of {@code type}. */
	public void awaitEvent(String type, int count, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		synchronized (this.events) {
			while (eventTypes().stream().filter(type::equals).count() < count) {
				long left = Duration.between(Instant.now(), deadline).toMillis();
				if (left <= 0) {
					throw new IllegalStateException("baresip reported no " + type + " (#" + count + ") within " + timeout
							+ "; events: " + eventTypes() + "\n" + log());
				}
				try {
					this.events.wait(left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	/** The WAV files of what the phone received in its calls so far (decoded audio). */
	public List<Path> heard() {
		try (Stream<Path> files = Files.list(this.directory.resolve("heard"))) {
			return files.filter((file) -> file.getFileName().toString().contains("dec")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What baresip logged so far. */
	public String log() {
		try {
			return Files.readString(this.directory.resolve("baresip.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.control != null) {
			try {
				this.control.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
		LocalServers.stop(this.process, this.directory);
	}

}
