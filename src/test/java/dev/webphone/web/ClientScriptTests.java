package dev.webphone.web;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the unit tests of the {@code WebphoneAPI} JavaScript client ({@code src/test/js/*.test.mjs}) with
 * Node's built-in test runner, so that {@code ./mvnw verify} fails when one of them does. They load the
 * client's modules as the server joins them, in front of a fake WebSocket, a fake microphone and a fake
 * {@code RTCPeerConnection}; what only a real browser shows stays with the browser tests.
 *
 * <p>Without Node.js ({@code apt-get install nodejs}) the tests are skipped with a message, except on CI
 * ({@code CI=true}), where they fail: a CI run that skipped them would look green while proving nothing.
 */
class ClientScriptTests {

	private static final Path TESTS = Path.of("src", "test", "js");

	private static final Path REPORTS = Path.of("target", "js-tests");

	private static final Duration TIME_LIMIT = Duration.ofMinutes(3);

	private static final Pattern COUNT = Pattern.compile("^# (pass|fail|cancelled) (\\d+)$", Pattern.MULTILINE);

	/** How much of the runner's report a failure quotes; the whole report is in target/js-tests. */
	private static final int QUOTED_LINES = 200;

	@Test
	void everyJavaScriptClientTestPasses() throws IOException, InterruptedException {
		String node = requireNode();
		List<String> command = new ArrayList<>(List.of(node, "--test",
				"--test-reporter=spec", "--test-reporter-destination=" + REPORTS.resolve("spec.txt"),
				"--test-reporter=tap", "--test-reporter-destination=" + REPORTS.resolve("report.tap")));
		command.addAll(testFiles());
		Files.createDirectories(REPORTS);
		Process runner = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(REPORTS.resolve("output.txt").toFile())
			.start();
		if (!runner.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
			runner.destroyForcibly().waitFor();
			throw new AssertionError("The JavaScript tests did not finish within " + TIME_LIMIT + ":\n" + report());
		}
		String tap = Files.readString(REPORTS.resolve("report.tap"), StandardCharsets.UTF_8);
		assertThat(runner.exitValue()).as("exit status of %s; report:\n%s", command, report()).isZero();
		assertThat(count(tap, "fail")).as("failed JavaScript tests").isZero();
		assertThat(count(tap, "cancelled")).as("cancelled JavaScript tests").isZero();
		assertThat(count(tap, "pass")).as("passed JavaScript tests").isGreaterThan(100);
		System.out.println("JavaScript client tests: " + count(tap, "pass") + " passed, 0 failed (" + REPORTS + ")");
	}

	private static List<String> testFiles() throws IOException {
		try (Stream<Path> files = Files.list(TESTS)) {
			List<String> tests = files.map(Path::toString).filter(name -> name.endsWith(".test.mjs")).sorted().toList();
			assertThat(tests).as("JavaScript test files in %s", TESTS).isNotEmpty();
			return tests;
		}
	}

	private static long count(String tap, String what) {
		Matcher matcher = COUNT.matcher(tap);
		long total = -1;
		while (matcher.find()) {
			if (matcher.group(1).equals(what)) {
				total = Long.parseLong(matcher.group(2));
			}
		}
		assertThat(total).as("the runner's count of %s tests", what).isNotNegative();
		return total;
	}

	private static String report() throws IOException {
		StringBuilder report = new StringBuilder();
		for (String name : List.of("output.txt", "spec.txt")) {
			Path file = REPORTS.resolve(name);
			if (Files.exists(file)) {
				List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
				report.append(String.join("\n", lines.subList(Math.max(0, lines.size() - QUOTED_LINES), lines.size())))
					.append('\n');
			}
		}
		return report.toString();
	}

	private static String requireNode() {
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			Path node = Path.of(directory, "node");
			if (Files.isExecutable(node)) {
				return node.toString();
			}
		}
		String message = "The JavaScript client tests need Node.js (apt-get install nodejs)";
		if ("true".equals(System.getenv("CI"))) {
			throw new AssertionError(message + "; with CI=true this fails instead of skipping");
		}
		System.err.println("SKIPPED " + ClientScriptTests.class.getSimpleName() + ": " + message);
		Assumptions.abort(message);
		return null;
	}

}
