package dev.webphone.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests that start real servers (coturn, Redis, HAProxy) share: finding the program,
 * skipping or failing when it is missing, and stopping it and its files.
 */
public final class LocalServers {

	private LocalServers() {
	}

	/** The program on the {@code PATH}, or in {@code /usr/sbin} and {@code /sbin}; {@code null} if none. */
	public static Path executable(String name) {
		String path = System.getenv("PATH");
		for (String directory : ((path != null) ? path : "/usr/local/bin:/usr/bin:/bin").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		for (String directory : List.of("/usr/sbin", "/sbin")) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Skips the calling test when {@code installed} is false, loudly, unless {@code CI=true}: CI installs
	 * what the tests need, so there a missing program is a broken set-up and fails the test.
	 * @param what the missing program(s), and how to install them
	 */
	public static void require(boolean installed, String what) {
		if (installed) {
			return;
		}
		String message = what + " is not installed";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			Assertions.fail(message);
		}
		System.err.println("WARNING: SKIPPING TEST: " + message);
		Assumptions.abort(message);
	}

	/** Asks the process to stop, kills it if it has not within 10 s, and deletes its directory. */
	public static void stop(Process process, Path directory) {
		if (process != null) {
			process.destroy();
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try (var files = Files.walk(directory)) {
			files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// A left-over temp directory is harmless.
		}
	}

}
