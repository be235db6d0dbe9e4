package dev.webphone.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.openqa.selenium.WebDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One headless Chromium, opened by {@link Browsers}, which also closes it after the test.
 *
 * <pre>{@code
 * Browser a = browsers.open(url, browsers.tone(440));
 * a.awaitConsole(line -> line.contains("IN_CALL"), Duration.ofSeconds(10));
 * a.assertHearsTone("audio[data-webphone-remote]", 1000);
 * }</pre>
 *
 * {@link #driver()} gives the Selenium {@link WebDriver} for anything else (clicks, scripts).
 */
final class Browser implements AutoCloseable {

	/** Covers ICE, the jitter buffer filling and a couple of probe windows, with room for a slow machine. */
	static final Duration DEFAULT_TONE_TIMEOUT = Duration.ofSeconds(15);

	/** Covers a renegotiation, the first key frame and the encoder reaching the camera's full size. */
	static final Duration DEFAULT_VIDEO_TIMEOUT = Duration.ofSeconds(20);

	private final String name;

	private final WebDriver driver;

	private final BrowserConsole console;

	private final Path profile;

	Browser(String name, WebDriver driver, Path profile) {
		this.name = name;
		this.driver = driver;
		this.profile = profile;
		this.console = new BrowserConsole(driver);
	}

	/** The browser's own profile directory, which also tells its processes apart from others'. */
	Path profile() {
		return this.profile;
	}

	WebDriver driver() {
		return this.driver;
	}

	/** Every console line so far, oldest first; see {@link BrowserConsole}. */
	List<String> consoleLines() {
		return this.console.lines();
	}

	/** Waits until a console line, earlier or new, matches, and returns the first that does. */
	String awaitConsole(Predicate<String> condition, Duration timeout) {
		return this.console.awaitLine(condition, timeout);
	}

	/** Listens once to what the element plays; see {@link ToneProbe}. */
	ToneSpectrum listen(String audioSelector) {
		return ToneProbe.listen(this.driver, audioSelector);
	}

	/** {@link #assertHearsTone(String, int, Duration)} with {@link #DEFAULT_TONE_TIMEOUT}. */
	ToneSpectrum assertHearsTone(String audioSelector, int frequencyHz) {
		return assertHearsTone(audioSelector, frequencyHz, DEFAULT_TONE_TIMEOUT);
	}

	/**
	 * Listens repeatedly until {@code frequencyHz} is the loudest thing the element plays and stands clearly
	 * above the noise; fails with the last thing heard otherwise.
	 * @return what was heard when the tone was found
	 */
	ToneSpectrum assertHearsTone(String audioSelector, int frequencyHz, Duration timeout) {
		AtomicReference<ToneSpectrum> heard = new AtomicReference<>();
		await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).pollInSameThread()
			.untilAsserted(() -> {
				heard.set(listenOrFail(audioSelector));
				assertThat(heard.get().isDominantTone(frequencyHz))
					.as("%s hears %d Hz in %s; it heard %s", this.name, frequencyHz, audioSelector, heard.get())
					.isTrue();
			});
		return heard.get();
	}

	/** Turns "nothing to listen to yet" into a failed attempt, so a timeout reports it. */
	private ToneSpectrum listenOrFail(String audioSelector) {
		try {
			return listen(audioSelector);
		}
		catch (IllegalStateException notYet) {
			throw new AssertionError(this.name + " has nothing to listen to: " + notYet.getMessage(), notYet);
		}
	}

	/** What the {@code <video>} at (or in) {@code selector} shows now; see {@link VideoProbe}. */
	VideoProbe.VideoSample look(String videoSelector) {
		return VideoProbe.look(this.driver, videoSelector);
	}

	/**
	 * Waits until the {@code <video>} at (or in) {@code videoSelector} shows the picture of a
	 * {@link FakeCamera} of {@code colour} at the camera's full size, then until it has had more frames:
	 * it decodes a live picture of that camera, not one still frame.
	 * @return what it showed last
	 */
	VideoProbe.VideoSample assertSeesCamera(String videoSelector, FakeCamera.Colour colour) {
		AtomicReference<VideoProbe.VideoSample> seen = new AtomicReference<>();
		await().atMost(DEFAULT_VIDEO_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).pollInSameThread()
			.untilAsserted(() -> {
				seen.set(lookOrFail(videoSelector));
				assertThat(seen.get().looksLike(colour) && seen.get().width() == FakeCamera.WIDTH
						&& seen.get().height() == FakeCamera.HEIGHT)
					.as("%s sees a %s camera of %dx%d in %s; it sees %s", this.name, colour, FakeCamera.WIDTH,
							FakeCamera.HEIGHT, videoSelector, seen.get())
					.isTrue();
			});
		int framesBefore = seen.get().frames();
		await().atMost(DEFAULT_VIDEO_TIMEOUT).pollInterval(Duration.ofMillis(200)).pollInSameThread()
			.untilAsserted(() -> {
				seen.set(lookOrFail(videoSelector));
				assertThat(seen.get().frames())
					.as("%s decodes new frames in %s (%d frames before); it sees %s", this.name, videoSelector,
							framesBefore, seen.get())
					.isGreaterThanOrEqualTo(framesBefore + FakeCamera.FRAMES_PER_SECOND);
				assertThat(seen.get().looksLike(colour)).as("still the %s camera: %s", colour, seen.get()).isTrue();
			});
		return seen.get();
	}

	/** Waits until the {@code <video>} at (or in) {@code videoSelector} shows no video at all. */
	void assertSeesNoVideo(String videoSelector) {
		await().atMost(DEFAULT_VIDEO_TIMEOUT).pollInSameThread().untilAsserted(() -> {
			try {
				VideoProbe.VideoSample seen = look(videoSelector);
				throw new AssertionError(this.name + " still sees video in " + videoSelector + ": " + seen);
			}
			catch (IllegalStateException nothing) {
				assertThat(nothing.getMessage()).as(this.name + " shows no video in " + videoSelector)
					.containsAnyOf("no <video>", "no video MediaStream", "no element");
			}
		});
	}

	private VideoProbe.VideoSample lookOrFail(String videoSelector) {
		try {
			return look(videoSelector);
		}
		catch (IllegalStateException notYet) {
			throw new AssertionError(this.name + " has no picture to look at: " + notYet.getMessage(), notYet);
		}
	}

	/** Console lines seen before the browser went away; for reports after a failure. */
	List<String> lastConsoleLines() {
		return this.console.seen();
	}

	@Override
	public String toString() {
		return this.name;
	}

	@Override
	public void close() {
		try {
			this.console.lines();
		}
		catch (RuntimeException ex) {
			// The browser may have crashed; what was collected before still gets reported.
		}
		this.driver.quit();
	}

}
