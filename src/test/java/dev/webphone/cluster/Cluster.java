package dev.webphone.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.webphone.WebphoneApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Several real Webphone instances, each a whole application on its own port, sharing one Redis as a
 * cluster, for tests. Close it to stop the instances still running.
 */
public final class Cluster implements AutoCloseable {

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	private final Map<Process, Path> logs = new java.util.HashMap<>();

	private final RedisServer redis;

	private final Map<String, Object> properties;

	/**
	 * @param properties what every instance is configured with, besides the cluster and Redis
	 */
	public Cluster(RedisServer redis, Map<String, Object> properties) {
		this.redis = redis;
		this.properties = properties;
	}

	/** Starts an instance with id {@code instanceId} in this JVM; returns its index. */
	public int start(String instanceId) {
		String[] arguments = arguments(instanceId, 0);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebphoneApplication.class).run(arguments);
		this.instances.add(context);
		return this.instances.size() - 1;
	}

	/**
	 * Starts an instance with id {@code instanceId} in a JVM of its own, which {@link #kill} ends as a
	 * crash would: no close frames, no goodbye to Redis.
	 */
	public Process startProcess(String instanceId, int port) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				WebphoneApplication.class.getName()));
		command.addAll(List.of(arguments(instanceId, port)));
		try {
			Path log = Files.createTempFile("webphone-" + instanceId + "-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			this.processes.add(process);
			this.logs.put(process, log);
			HttpClient http = HttpClient.newHttpClient();
			await().atMost(Duration.ofSeconds(120)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("instance " + instanceId + " exited:\n" + Files.readString(log));
				}
				try {
					return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez")).build(),
							HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
				}
				catch (IOException ex) {
					return false;
				}
			});
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What an instance started by {@link #startProcess} has logged so far. */
	public String log(Process process) throws IOException {
		return Files.readString(this.logs.get(process));
	}

	/** Pauses an instance started by {@link #startProcess} (SIGSTOP), as a long GC pause would. */
	public static void pause(Process process) throws Exception {
		signal(process, "STOP");
	}

	/** Lets a {@link #pause paused} instance go on (SIGCONT). */
	public static void proceed(Process process) throws Exception {
		signal(process, "CONT");
	}

	private static void signal(Process process, String signal) throws Exception {
		int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
		if (exit != 0) {
			throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
		}
	}

	/** Waits until instance {@code index} knows that the instance {@code instanceId} leads. */
	public void awaitLeader(int index, String instanceId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> instanceId.equals(context(index).getBean(Leadership.class).leader()));
	}

	/** Kills an instance started by {@link #startProcess} at once (SIGKILL). */
	public static void kill(Process process) throws InterruptedException {
		process.destroyForcibly();
		process.waitFor();
	}

	private String[] arguments(String instanceId, int port) {
		Map<String, Object> all = new java.util.HashMap<>(this.properties);
		all.put("server.port", Integer.toString(port));
		all.put("webphone.cluster.enabled", "true");
		all.put("webphone.cluster.instance-id", instanceId);
		all.put("webphone.cluster.lease", "3s");
		all.put("spring.data.redis.url", this.redis.url());
		all.put("spring.main.banner-mode", "off");
		// As arguments: they override application.yml, as an operator's settings would.
		return all.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

	/** A free port on the loopback interface. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The HTTP port of instance {@code index}. */
	public int port(int index) {
		return ((WebServerApplicationContext) this.instances.get(index)).getWebServer().getPort();
	}

	public ConfigurableApplicationContext context(int index) {
		return this.instances.get(index);
	}

	/** How many browsers are connected to instance {@code index}. */
	public int browsersAt(int index) {
		return context(index).getBean(ClusterEdge.class).browserCount();
	}

	/** Whether instance {@code index} leads the cluster now. */
	public boolean leads(int index) {
		return context(index).getBean(Leadership.class).isLeading();
	}

	/** Waits until one running instance leads and every running one knows it; returns its index. */
	public int awaitLeader() {
		return await().until(() -> {
			int leader = -1;
			for (int i = 0; i < this.instances.size(); i++) {
				ConfigurableApplicationContext context = this.instances.get(i);
				if (!context.isActive()) {
					continue;
				}
				Leadership leadership = context.getBean(Leadership.class);
				if (leadership.leader() == null) {
					return -1;
				}
				if (leadership.isLeading()) {
					leader = i;
				}
			}
			return leader;
		}, (index) -> index >= 0);
	}

	/** Stops instance {@code index} as an operator would (its lease is handed over at once). */
	public void stop(int index) {
		this.instances.get(index).close();
	}

	@Override
	public void close() {
		this.instances.stream().filter(ConfigurableApplicationContext::isActive).forEach(ConfigurableApplicationContext::close);
		this.processes.forEach(Process::destroyForcibly);
	}

}
