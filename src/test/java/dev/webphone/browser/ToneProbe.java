package dev.webphone.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Listens, inside the page, to the MediaStream that an {@code <audio>} element plays (its
 * {@code srcObject}) and reports the spectrum: an AnalyserNode on an AudioContext, averaged over a short
 * window. The element may be muted; Chromium only delivers remote samples while the stream is attached
 * to a media element at all.
 *
 * <pre>{@code
 * ToneSpectrum heard = ToneProbe.listen(driver, "audio[data-webphone-remote]");
 * }</pre>
 *
 * Usually called through {@link Browser#assertHearsTone(String, int)}, which repeats it until the tone
 * shows up.
 */
final class ToneProbe {

	/** Long enough to average several FFT windows (170 ms each), short enough to poll. */
	static final Duration WINDOW = Duration.ofMillis(1200);

	/** Above every test tone, with room for harmonics; keeps the answer small. */
	private static final int MAX_HZ = 4000;

	private static final String SCRIPT = load("tone-probe.js");

	private ToneProbe() {
	}

	/**
	 * Listens for {@link #WINDOW} to what the element selected by {@code selector} plays.
	 * @throws IllegalStateException when there is nothing to listen to yet (no element, no stream)
	 */
	static ToneSpectrum listen(WebDriver driver, String selector) {
		Object answer = ((JavascriptExecutor) driver).executeAsyncScript(SCRIPT, selector, WINDOW.toMillis(), MAX_HZ);
		if (!(answer instanceof Map<?, ?> result)) {
			throw new IllegalStateException("Tone probe gave no result: " + answer);
		}
		if (result.get("problem") != null) {
			throw new IllegalStateException(String.valueOf(result.get("problem")));
		}
		List<?> levels = (List<?>) result.get("db");
		double[] levelsDb = levels.stream().mapToDouble(level -> ((Number) level).doubleValue()).toArray();
		return new ToneSpectrum(((Number) result.get("binHz")).doubleValue(), levelsDb);
	}

	private static String load(String name) {
		try (InputStream in = ToneProbe.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test resource " + name + " next to " + ToneProbe.class);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
