package dev.webphone.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A camera picture in a Y4M file, to be fed to Chromium as its fake camera
 * ({@code --use-file-for-fake-video-capture}): a field of one colour with a white bar moving across
 * it, so that every frame differs from the last. Give each browser of a test its own colour, so that
 * what one side sees can only have come from the other.
 *
 * <pre>{@code
 * Browser a = browsers.open(url, browsers.tone(440), browsers.camera(FakeCamera.Colour.RED));
 * a.assertSeesCamera("#remote-video", FakeCamera.Colour.BLUE);
 * }</pre>
 *
 * @param colour the picture's colour
 * @param file the Y4M file holding it
 */
record FakeCamera(Colour colour, Path file) {

	/** Small enough to cost a loaded machine little to encode, big enough for a real picture. */
	static final int WIDTH = 320;

	static final int HEIGHT = 240;

	static final int FRAMES_PER_SECOND = 15;

	/** Chromium loops the file: two seconds of the bar crossing the picture. */
	private static final int FRAMES = 2 * FRAMES_PER_SECOND;

	private static final int BAR_WIDTH = 16;

	/** Colours far apart in every channel, each with one clearly dominant channel. */
	enum Colour {

		RED(210, 30, 30), GREEN(30, 190, 40), BLUE(30, 50, 210);

		final int red;

		final int green;

		final int blue;

		Colour(int red, int green, int blue) {
			this.red = red;
			this.green = green;
			this.blue = blue;
		}

		/** Which channel is the strongest in a picture of this colour: 0 red, 1 green, 2 blue. */
		int dominantChannel() {
			return (this.red >= this.green && this.red >= this.blue) ? 0 : (this.green >= this.blue) ? 1 : 2;
		}

	}

	/** Writes {@code camera-<colour>.y4m} into {@code directory}. */
	static FakeCamera write(Path directory, Colour colour) {
		Path file = directory.resolve("camera-" + colour.name().toLowerCase() + ".y4m");
		// Full-range BT.601, as C420jpeg declares.
		int y = clamp(0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue);
		int u = clamp(128 - 0.168736 * colour.red - 0.331264 * colour.green + 0.5 * colour.blue);
		int v = clamp(128 + 0.5 * colour.red - 0.418688 * colour.green - 0.081312 * colour.blue);
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F" + FRAMES_PER_SECOND + ":1 Ip A1:1 C420jpeg\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] luma = new byte[WIDTH * HEIGHT];
			byte[] blueChroma = new byte[WIDTH * HEIGHT / 4];
			byte[] redChroma = new byte[WIDTH * HEIGHT / 4];
			for (int frame = 0; frame < FRAMES; frame++) {
				int barStart = frame * (WIDTH - BAR_WIDTH) / (FRAMES - 1);
				for (int row = 0; row < HEIGHT; row++) {
					for (int column = 0; column < WIDTH; column++) {
						boolean bar = column >= barStart && column < barStart + BAR_WIDTH;
						luma[row * WIDTH + column] = (byte) (bar ? 235 : y);
						if (row % 2 == 0 && column % 2 == 0) {
							int chroma = (row / 2) * (WIDTH / 2) + column / 2;
							blueChroma[chroma] = (byte) (bar ? 128 : u);
							redChroma[chroma] = (byte) (bar ? 128 : v);
						}
					}
				}
				out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
				out.write(luma);
				out.write(blueChroma);
				out.write(redChroma);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
		return new FakeCamera(colour, file);
	}

	private static int clamp(double value) {
		return (int) Math.max(0, Math.min(255, Math.round(value)));
	}

}
