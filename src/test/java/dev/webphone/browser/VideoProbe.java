package dev.webphone.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Looks, inside the page, at what a {@code <video>} element shows: the size of the picture it decoded,
 * how many frames it has had so far ({@code getVideoPlaybackQuality().totalVideoFrames}), and the average
 * colour of the current frame (drawn onto a canvas).
 *
 * <pre>{@code
 * VideoSample seen = VideoProbe.look(driver, "#remote-video");
 * }</pre>
 *
 * Usually called through {@link Browser#assertSeesCamera(String, FakeCamera.Colour)}.
 */
final class VideoProbe {

	private static final String SCRIPT = load("video-probe.js");

	private VideoProbe() {
	}

	/**
	 * What the {@code <video>} at {@code selector} (or the one inside the element there) shows now.
	 * @throws IllegalStateException when it shows nothing yet (no element, no video track, no frame)
	 */
	static VideoSample look(WebDriver driver, String selector) {
		Object answer = ((JavascriptExecutor) driver).executeScript(SCRIPT, selector);
		if (!(answer instanceof Map<?, ?> result)) {
			throw new IllegalStateException("Video probe gave no result: " + answer);
		}
		if (result.get("problem") != null) {
			throw new IllegalStateException(String.valueOf(result.get("problem")));
		}
		return new VideoSample(number(result, "width"), number(result, "height"), number(result, "frames"),
				number(result, "red"), number(result, "green"), number(result, "blue"));
	}

	private static int number(Map<?, ?> result, String key) {
		return ((Number) result.get(key)).intValue();
	}

	private static String load(String name) {
		try (InputStream in = VideoProbe.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test resource " + name + " next to " + VideoProbe.class);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One look at a video element.
	 * @param width the decoded picture's width ({@code videoWidth})
	 * @param height its height
	 * @param frames the frames the element has had so far
	 * @param red the average red of the current frame, 0 to 255
	 * @param green the average green
	 * @param blue the average blue
	 */
	record VideoSample(int width, int height, int frames, int red, int green, int blue) {

		/** Whether the picture is mostly {@code colour}: its dominant channel leads the others clearly. */
		boolean looksLike(FakeCamera.Colour colour) {
			int[] channels = { this.red, this.green, this.blue };
			int dominant = colour.dominantChannel();
			for (int channel = 0; channel < 3; channel++) {
				if (channel != dominant && channels[dominant] < channels[channel] + 80) {
					return false;
				}
			}
			return true;
		}

		@Override
		public String toString() {
			return this.width + "x" + this.height + ", " + this.frames + " frames, average rgb(" + this.red + ", "
					+ this.green + ", " + this.blue + ")";
		}

	}

}
