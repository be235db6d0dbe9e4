package dev.webphone.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens headless Chromium browsers for a test and closes them after it, passed or failed. Uses the
 * system Chromium and ChromeDriver, so Selenium Manager never tries to download anything.
 *
 * <pre>{@code
 * @RegisterExtension
 * final Browsers browsers = Browsers.chromium();   // or .ignoringCertificateErrors() for HTTPS tests
 *
 * @Test
 * void bothHearEachOther() {
 *     Browser a = browsers.open(url, browsers.tone(440));
 *     Browser b = browsers.open(url, browsers.tone(1000), browsers.camera(FakeCamera.Colour.BLUE));
 *     ...
 * }
 * }</pre>
 *
 * Without Chromium or ChromeDriver installed the test is skipped with a message saying so, except on CI
 * (environment variable {@code CI=true}), where a missing browser must not pass quietly: there it fails.
 */
final class Browsers implements BeforeEachCallback, AfterEachCallback {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** Known-good flags on these machines; see docs/browser-testing.md in the shared docs. */
	private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
			"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
			"--use-fake-device-for-media-stream", "--allow-loopback-in-peer-connection",
			"--autoplay-policy=no-user-gesture-required");

	private final boolean ignoreCertificateErrors;

	private final List<Browser> open = new ArrayList<>();

	private final Map<Integer, ToneWav> tones = new HashMap<>();

	private final Map<FakeCamera.Colour, FakeCamera> cameras = new HashMap<>();

	private final List<String> everyPageScripts = new ArrayList<>();

	private Path scratch;

	private Browsers(boolean ignoreCertificateErrors) {
		this.ignoreCertificateErrors = ignoreCertificateErrors;
	}

	static Browsers chromium() {
		return new Browsers(false);
	}

	/** For pages served over HTTPS with a self-signed certificate. */
	Browsers ignoringCertificateErrors() {
		return new Browsers(true);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		requireInstalled(List.of(CHROMIUM, CHROMEDRIVER), System.getenv("CI"), context.getDisplayName());
	}

	/**
	 * Skips the test loudly when a binary is missing, or fails it when {@code ci} is {@code "true"}: a CI
	 * run that silently skipped every browser test would look green while proving nothing.
	 */
	static void requireInstalled(List<Path> binaries, String ci, String test) {
		List<Path> missing = binaries.stream().filter(path -> !Files.isExecutable(path)).toList();
		if (missing.isEmpty()) {
			return;
		}
		String message = "Real-browser test needs " + missing + " (apt-get install chromium chromium-driver)";
		if ("true".equals(ci)) {
			throw new AssertionError(message + "; with CI=true this fails instead of skipping");
		}
		System.err.println("SKIPPED " + test + ": " + message);
		Assumptions.abort(message);
	}

	/**
	 * Runs {@code script} in every page these browsers load, before the page's own scripts: a way to
	 * watch what a page does that it does not show.
	 */
	Browsers withScriptOnEveryPage(String script) {
		this.everyPageScripts.add(script);
		return this;
	}

	/** Opens a browser whose microphone plays the fake device's beeps. */
	Browser open(String url) {
		return open(url, null);
	}

	/** Opens a browser whose microphone plays {@code microphone}, and loads {@code url}. */
	Browser open(String url, ToneWav microphone) {
		return open(url, microphone, null);
	}

	/**
	 * Opens a browser whose microphone plays {@code microphone} and whose camera shows {@code camera}
	 * (either may be null: Chromium's own fake beeps, or its own fake picture), and loads {@code url}.
	 */
	Browser open(String url, ToneWav microphone, FakeCamera camera) {
		String name = "browser " + (this.open.size() + 1) + (microphone != null ? " (" + microphone.frequencyHz() + " Hz)" : "")
				+ (camera != null ? " (" + camera.colour().name().toLowerCase() + " camera)" : "");
		Path profile = createDirectory("chromium-profile-");
		ChromeOptions options = options(profile, microphone, camera);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
		ChromeDriver driver = new ChromeDriver(service, options);
		Browser browser = new Browser(name, driver, profile);
		this.open.add(browser);
		for (String script : this.everyPageScripts) {
			driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
		}
		browser.driver().get(url);
		return browser;
	}

	/**
	 * Kills {@code browser}'s processes without a word (SIGKILL), as a crash or a pulled plug would:
	 * its pages send no close frame; the operating system only drops their connections.
	 */
	void kill(Browser browser) {
		this.open.remove(browser);
		String profile = "--user-data-dir=" + browser.profile();
		List<ProcessHandle> processes = ProcessHandle.allProcesses()
			.filter((process) -> process.info().commandLine().map((line) -> line.contains(profile)).orElse(false))
			.toList();
		if (processes.isEmpty()) {
			throw new IllegalStateException("No process of " + browser + " found");
		}
		processes.forEach(ProcessHandle::destroyForcibly);
		// Not waiting for them to exit: the killed browser stays a zombie until ChromeDriver, its parent,
		// reaps it, which quitting the driver does.
		try {
			browser.driver().quit();
		}
		catch (RuntimeException ex) {
			// ChromeDriver finds its browser gone; the driver process still ends.
		}
	}

	/**
	 * A tone in this test's scratch directory, deleted with the browsers after the test. Written once per
	 * frequency: rewriting it could disturb a browser that is already playing it.
	 */
	ToneWav tone(int frequencyHz) {
		return this.tones.computeIfAbsent(frequencyHz, hz -> ToneWav.write(scratch(), hz));
	}

	/** A camera picture in this test's scratch directory, deleted with the browsers after the test. */
	FakeCamera camera(FakeCamera.Colour colour) {
		return this.cameras.computeIfAbsent(colour, c -> FakeCamera.write(scratch(), c));
	}

	private ChromeOptions options(Path userDataDir, ToneWav microphone, FakeCamera camera) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments(FLAGS);
		options.addArguments("--user-data-dir=" + userDataDir);
		if (microphone != null) {
			options.addArguments("--use-file-for-fake-audio-capture=" + microphone.file());
		}
		if (camera != null) {
			options.addArguments("--use-file-for-fake-video-capture=" + camera.file());
		}
		if (this.ignoreCertificateErrors) {
			options.addArguments("--ignore-certificate-errors");
		}
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		return options;
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		List<Browser> closing = List.copyOf(this.open);
		this.open.clear();
		RuntimeException failure = null;
		for (Browser browser : closing) {
			try {
				browser.close();
			}
			catch (RuntimeException ex) {
				failure = (failure == null) ? ex : failure;
			}
			if (context.getExecutionException().isPresent()) {
				System.err.println("Console of " + browser + ":\n  " + String.join("\n  ", browser.lastConsoleLines()));
			}
		}
		this.tones.clear();
		this.cameras.clear();
		deleteScratch();
		if (failure != null) {
			throw failure;
		}
	}

	private Path createDirectory(String prefix) {
		try {
			return Files.createTempDirectory(scratch(), prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path scratch() {
		if (this.scratch == null) {
			try {
				this.scratch = Files.createTempDirectory("webphone-browsers-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return this.scratch;
	}

	private void deleteScratch() throws IOException {
		if (this.scratch == null) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.scratch)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		this.scratch = null;
	}

}
