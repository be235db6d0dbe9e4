package dev.webphone.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sine tone in a WAV file, to be fed to Chromium as its fake microphone
 * ({@code --use-file-for-fake-audio-capture}). Give each browser of a test its own frequency, so that
 * what one side hears can only have come from the other.
 *
 * <pre>{@code
 * ToneWav tone = ToneWav.write(tempDir, 440);
 * Browser a = browsers.open(url, tone);
 * }</pre>
 *
 * @param frequencyHz the tone's frequency
 * @param file the 16-bit 48 kHz mono PCM WAV file holding it
 */
record ToneWav(int frequencyHz, Path file) {

	static final int SAMPLE_RATE = 48_000;

	/** Chromium loops the file; a whole number of seconds holds whole cycles, so the loop has no click. */
	private static final int SECONDS = 3;

	/** Half of full scale: loud enough to stand well above Opus noise, far from clipping. */
	private static final double AMPLITUDE = 0.5 * Short.MAX_VALUE;

	private static final int HEADER_BYTES = 44;

	/** Writes {@code tone-<hz>hz.wav} into {@code directory}. */
	static ToneWav write(Path directory, int frequencyHz) {
		if (frequencyHz <= 0 || frequencyHz >= SAMPLE_RATE / 2) {
			throw new IllegalArgumentException("Frequency must be between 0 and " + SAMPLE_RATE / 2 + " Hz: " + frequencyHz);
		}
		int samples = SAMPLE_RATE * SECONDS;
		ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
		putHeader(wav, 2 * samples);
		for (int i = 0; i < samples; i++) {
			wav.putShort((short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequencyHz * i / SAMPLE_RATE)));
		}
		Path file = directory.resolve("tone-" + frequencyHz + "hz.wav");
		try {
			Files.write(file, wav.array());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
		return new ToneWav(frequencyHz, file);
	}

	private static void putHeader(ByteBuffer wav, int dataBytes) {
		short channels = 1;
		short bitsPerSample = 16;
		short blockAlign = (short) (channels * bitsPerSample / 8);
		wav.put("RIFF".getBytes()).putInt(HEADER_BYTES - 8 + dataBytes).put("WAVE".getBytes());
		wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort(channels).putInt(SAMPLE_RATE)
			.putInt(SAMPLE_RATE * blockAlign).putShort(blockAlign).putShort(bitsPerSample);
		wav.put("data".getBytes()).putInt(dataBytes);
	}

}
