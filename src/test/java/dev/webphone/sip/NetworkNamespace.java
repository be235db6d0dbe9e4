package dev.webphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.webphone.support.LocalServers;

/**
 * A network namespace of the test's own, joined to the test's namespace by a veth pair with a private
 * /30: {@link #hostAddress()} on the test's side, {@link #address()} inside. Janus never gathers ICE
 * candidates on a loopback interface, so the servers of a SIP test run in here, where the veth is
 * their only interface and every port is free; the browser and the test reach them over the veth.
 *
 * <p>{@link #close()} kills whatever still runs inside and deletes the namespace and the pair, also
 * when the start failed half-way; a JVM that dies without closing leaves one behind, which the next
 * {@link #create()} on the machine deletes (its name carries the pid of the JVM that made it).
 */
public final class NetworkNamespace implements AutoCloseable {

	private static final String PREFIX = "wpsip";

	private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)x(\\d+)");

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private final String name;

	private final String hostInterface;

	private String innerInterface;

	private final String address;

	private final String hostAddress;

	private final Thread cleanUpOnExit;

	private NetworkNamespace(String name, String hostInterface, String address, String hostAddress) {
		this.name = name;
		this.hostInterface = hostInterface;
		this.address = address;
		this.hostAddress = hostAddress;
		this.cleanUpOnExit = new Thread(this::delete, "delete-" + name);
	}

	/** Whether the test can make one: {@code ip} is there and the JVM runs as root. */
	static boolean isPossible() {
		return LocalServers.executable("ip") != null && "root".equals(System.getProperty("user.name"));
	}

	/** Makes a namespace with its veth pair up and addressed; deletes what it made if a step fails. */
	static NetworkNamespace create() {
		deleteLeftOvers();
		long pid = ProcessHandle.current().pid();
		int n = COUNTER.incrementAndGet();
		String name = PREFIX + pid + "x" + n;
		String base = "wps" + Long.toString(pid, 36) + "x" + n;
		// 10.201-250.x.y/30: private, and unlikely to be on a machine already; checked anyway.
		String prefix;
		int subnet;
		String used = run("ip", "-4", "-o", "addr", "show");
		do {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			prefix = "10." + (201 + random.nextInt(50)) + "." + random.nextInt(256) + ".";
			subnet = 4 * random.nextInt(63);
		}
		while (used.contains(prefix + (subnet + 1) + "/") || used.contains(prefix + (subnet + 2) + "/"));
		NetworkNamespace namespace = new NetworkNamespace(name, base + "h", prefix + (subnet + 2),
				prefix + (subnet + 1));
		Runtime.getRuntime().addShutdownHook(namespace.cleanUpOnExit);
		try {
			String inner = base + "n";
			run("ip", "netns", "add", name);
			run("ip", "link", "add", namespace.hostInterface, "type", "veth", "peer", "name", inner);
			run("ip", "link", "set", inner, "netns", name);
			run("ip", "addr", "add", namespace.hostAddress + "/30", "dev", namespace.hostInterface);
			run("ip", "link", "set", namespace.hostInterface, "up");
			run("ip", "netns", "exec", name, "ip", "addr", "add", namespace.address + "/30", "dev", inner);
			run("ip", "netns", "exec", name, "ip", "link", "set", inner, "up");
			run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
			namespace.innerInterface = inner;
			return namespace;
		}
		catch (RuntimeException ex) {
			namespace.close();
			throw ex;
		}
	}

	/** The namespace's name, for {@code ip netns exec}. */
	public String name() {
		return this.name;
	}

	/** The address inside the namespace, where its servers listen. */
	public String address() {
		return this.address;
	}

	/** The address of the test's end of the veth pair. */
	public String hostAddress() {
		return this.hostAddress;
	}

	/** The name of the veth end inside the namespace: the only interface Janus may gather ICE on. */
	String innerInterface() {
		return this.innerInterface;
	}

	/** {@code command}, to run inside the namespace. */
	List<String> inside(List<String> command) {
		List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", this.name));
		all.addAll(command);
		return all;
	}

	/** Kills what still runs inside, then deletes the namespace and the veth pair. */
	@Override
	public void close() {
		delete();
		try {
			Runtime.getRuntime().removeShutdownHook(this.cleanUpOnExit);
		}
		catch (IllegalStateException ex) {
			// The JVM is exiting; the hook runs (or ran) anyway.
		}
	}

	private void delete() {
		delete(this.name, this.hostInterface);
	}

	private static void delete(String name, String hostInterface) {
		String pids = quietly("ip", "netns", "pids", name);
		for (String pid : pids.split("\\s+")) {
			if (!pid.isBlank()) {
				ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
		if (hostInterface != null) {
			quietly("ip", "link", "del", hostInterface);
		}
		quietly("ip", "netns", "del", name);
	}

	/** Deletes the namespaces of test JVMs that are gone. */
	private static void deleteLeftOvers() {
		for (String line : quietly("ip", "netns", "list").split("\n")) {
			Matcher matcher = OURS.matcher(line.trim().split("\\s+")[0]);
			if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
				long pid = Long.parseLong(matcher.group(1));
				delete(matcher.group(), "wps" + Long.toString(pid, 36) + "x" + matcher.group(2) + "h");
			}
		}
	}

	private static String quietly(String... command) {
		try {
			return run(command);
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	/** Runs a command to its end, returning its output; fails with the output when it fails. */
	static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not end");
			}
			String text = new String(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
						+ ": " + text);
			}
			return text;
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
	public String toString() {
		return this.name + " (" + this.address + ")";
	}

}
