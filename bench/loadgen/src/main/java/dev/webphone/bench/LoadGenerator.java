package dev.webphone.bench;

import java.net.URI;

/**
 * Entry point of the load generator: {@code idle} holds many quiet browsers open, {@code calls}
 * drives pairs of browsers through call after call. Everything it does is bounded in count and
 * time; the last line it prints starts with {@code RESULT}.
 */
public final class LoadGenerator {

	private LoadGenerator() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: LoadGenerator idle|calls --url=ws://127.0.0.1:PORT/webphone/ws [--name=value ...]");
			System.exit(2);
		}
		String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
		Options options = new Options(rest);
		URI uri = URI.create(options.text("url", "ws://127.0.0.1:18080/webphone/ws"));
		if (!isLoopback(uri)) {
			throw new IllegalArgumentException("Benchmarks stay on this machine: use 127.0.0.1 or localhost, not " + uri);
		}
		int code = switch (args[0]) {
			case "idle" -> IdleCapacity.run(uri, options);
			case "calls" -> CallThroughput.run(uri, options);
			case "resume" -> ResumeTime.run(uri, options);
			default -> throw new IllegalArgumentException("Unknown benchmark " + args[0]);
		};
		System.out.flush();
		// Jetty's threads are not daemons; the numbers are out, so do not wait for them.
		Runtime.getRuntime().halt(code);
	}

	private static boolean isLoopback(URI uri) {
		String host = uri.getHost();
		return "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host) || "::1".equals(host);
	}

}
