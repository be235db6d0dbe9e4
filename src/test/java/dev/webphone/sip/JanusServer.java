package dev.webphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;

/**
 * A real Janus (Debian package {@code janus}) with only its SIP plugin and HTTP transport, in a
 * {@link NetworkNamespace}, with a configuration generated in a temp directory: ICE gathers on the
 * namespace's veth alone, and SIP and RTP leave from its address.
 */
public final class JanusServer implements AutoCloseable {

	/** Janus's HTTP port inside the namespace, where every port is free. */
	static final int HTTP_PORT = 8088;

	/** Janus's admin API port inside the namespace, where the test asks which sessions Janus holds. */
	static final int ADMIN_PORT = 7088;

	private static final String ADMIN_SECRET = "webphone-test-admin";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final String LIBRARIES = "/usr/lib/x86_64-linux-gnu/janus";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final NetworkNamespace namespace;

	private final Path directory;

	private final Process process;

	private JanusServer(NetworkNamespace namespace, Path directory, Process process) {
		this.namespace = namespace;
		this.directory = directory;
		this.process = process;
	}

	/** Whether {@code janus} and its SIP plugin are installed. */
	static boolean isInstalled() {
		return LocalServers.executable("janus") != null
				&& Files.exists(Path.of(LIBRARIES, "plugins", "libjanus_sip.so"));
	}

	/** Starts Janus in {@code namespace} and waits until its {@code info} answers. */
	static JanusServer start(NetworkNamespace namespace) {
		return start(namespace, 60);
	}

	/**
	 * Starts Janus in {@code namespace}, dropping sessions silent for {@code sessionTimeoutSeconds}, and
	 * waits until its {@code info} answers.
	 */
	static JanusServer start(NetworkNamespace namespace, int sessionTimeoutSeconds) {
		Path directory;
		try {
			directory = Files.createTempDirectory("janus-");
			writeConfiguration(directory, namespace, sessionTimeoutSeconds);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Process process;
		try {
			process = new ProcessBuilder(namespace.inside(List.of("janus", "-C", directory.resolve("janus.jcfg").toString(),
					"-F", directory.toString(), "-o")))
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("janus.log").toFile())
				.start();
		}
		catch (IOException ex) {
			LocalServers.stop(null, directory);
			throw new UncheckedIOException(ex);
		}
		JanusServer janus = new JanusServer(namespace, directory, process);
		try {
			janus.awaitInfo();
			return janus;
		}
		catch (RuntimeException ex) {
			janus.close();
			throw ex;
		}
	}

	private static void writeConfiguration(Path directory, NetworkNamespace namespace, int sessionTimeoutSeconds)
			throws IOException {
		Files.writeString(directory.resolve("janus.jcfg"), """
				general: {
					configs_folder = "%1$s"
					plugins_folder = "%2$s/plugins"
					transports_folder = "%2$s/transports"
					events_folder = "%2$s/events"
					loggers_folder = "%2$s/loggers"
					debug_level = 4
					session_timeout = %5$d
					server_name = "webphone-test"
					admin_secret = "%6$s"
					interface = "%4$s"
				}
				media: {
					rtp_port_range = "20000-40000"
				}
				nat: {
					ice_enforce_list = "%3$s"
				}
				plugins: {
					disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_videoroom.so,libjanus_voicemail.so"
				}
				transports: {
					disable = "libjanus_websockets.so,libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so"
				}
				loggers: {
					disable = "libjanus_jsonlog.so"
				}
				events: {
					broadcast = false
				}
				""".formatted(directory, LIBRARIES, namespace.innerInterface(), namespace.address(),
				sessionTimeoutSeconds, ADMIN_SECRET));
		Files.writeString(directory.resolve("janus.transport.http.jcfg"), """
				general: {
					json = "plain"
					base_path = "/janus"
					http = true
					port = %d
					ip = "%s"
					https = false
				}
				admin: {
					admin_http = true
					admin_port = %d
					admin_ip = "%s"
					admin_base_path = "/admin"
				}
				""".formatted(HTTP_PORT, namespace.address(), ADMIN_PORT, namespace.address()));
		Files.writeString(directory.resolve("janus.plugin.sip.jcfg"), """
				general: {
					local_ip = "%s"
					keepalive_interval = 0
					behind_nat = false
					register_ttl = 3600
					rtp_port_range = "40001-50000"
				}
				""".formatted(namespace.address()));
	}

	/** Janus's HTTP API, {@code http://address:8088/janus}. */
	public String url() {
		return "http://" + this.namespace.address() + ":" + HTTP_PORT + "/janus";
	}

	/** The answer to {@code GET /janus/info}, or {@code null} when Janus does not answer. */
	String info() {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(url() + "/info")).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * How many sessions Janus itself holds, by its admin API: what a client that forgot to destroy its
	 * sessions would leave behind, whatever the client counts.
	 */
	public int sessionCount() {
		String body = "{\"janus\":\"list_sessions\",\"transaction\":\"t\",\"admin_secret\":\"" + ADMIN_SECRET + "\"}";
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://" + this.namespace.address() + ":" + ADMIN_PORT + "/admin"))
				.timeout(Duration.ofSeconds(5))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			java.util.regex.Matcher sessions = java.util.regex.Pattern.compile("\"sessions\"\\s*:\\s*\\[([^\\]]*)\\]")
				.matcher(response.body());
			if (!sessions.find()) {
				throw new IllegalStateException("Janus's admin API answered " + response.body());
			}
			String list = sessions.group(1).trim();
			return list.isEmpty() ? 0 : list.split(",").length;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void awaitInfo() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("janus exited with " + this.process.exitValue() + ":\n" + log());
			}
			if (info() != null) {
				return;
			}
			this.process.onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
		}
		throw new IllegalStateException("janus did not answer on " + url() + " within " + START_TIMEOUT + ":\n" + log());
	}

	/** Whether the process still runs. */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/** Kills Janus at once, as a crash would. */
	public void kill() {
		this.process.destroyForcibly();
		this.process.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
	}

	/** What Janus logged so far. */
	public String log() {
		try {
			return Files.readString(this.directory.resolve("janus.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		LocalServers.stop(this.process, this.directory);
	}

}
