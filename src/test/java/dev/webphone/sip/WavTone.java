package dev.webphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether a tone is what a WAV file that baresip wrote (16-bit PCM, mono) holds: the phone's side of
 * the browsers' tone check. Goertzel's algorithm measures the level at the tone and at frequencies
 * spread over the band; the tone must stand well above their median (the noise) and be the loudest.
 * The file may still be being written: its header's sizes are not trusted.
 */
public final class WavTone {

	/** How far above the median level the tone must stand, as the browsers' probe asks. */
	private static final double MIN_PROMINENCE_DB = 30;

	/** The last this many seconds are analysed: the call's latest sound. */
	private static final double WINDOW_SECONDS = 1.0;

	private WavTone() {
	}

	/** Whether {@code frequencyHz} is the dominant tone of the last second of {@code wav}. */
	public static boolean hasDominantTone(Path wav, int frequencyHz) {
		return describe(wav, frequencyHz).startsWith("yes");
	}

	/** Whether, and why: the tone's level, the loudest other frequency, and the median. */
	public static String describe(Path wav, int frequencyHz) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(wav);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (bytes.length < 44) {
			return "no: " + wav + " is empty";
		}
		ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		int sampleRate = header.getInt(24);
		int channels = header.getShort(22);
		int dataStart = dataStart(bytes);
		int frames = (bytes.length - dataStart) / (2 * channels);
		int window = (int) Math.min(frames, sampleRate * WINDOW_SECONDS);
		if (window < sampleRate / 4) {
			return "no: " + wav + " holds " + frames + " frames";
		}
		double[] samples = new double[window];
		ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).order(ByteOrder.LITTLE_ENDIAN);
		int first = frames - window;
		for (int i = 0; i < window; i++) {
			samples[i] = data.getShort(dataStart + 2 * channels * (first + i)) / 32768.0;
		}
		double tone = levelDb(samples, sampleRate, frequencyHz);
		double[] others = new double[80];
		double loudestOther = Double.NEGATIVE_INFINITY;
		int loudestOtherHz = 0;
		for (int i = 0; i < others.length; i++) {
			int hz = 100 + i * (sampleRate / 2 - 200) / others.length;
			others[i] = levelDb(samples, sampleRate, hz);
			if (Math.abs(hz - frequencyHz) > 40 && others[i] > loudestOther) {
				loudestOther = others[i];
				loudestOtherHz = hz;
			}
		}
		double[] sorted = others.clone();
		Arrays.sort(sorted);
		double median = sorted[sorted.length / 2];
		boolean dominant = tone - median >= MIN_PROMINENCE_DB && tone > loudestOther;
		return String.format("%s: %d Hz at %.1f dB, loudest other %d Hz at %.1f dB, median %.1f dB (%s)",
				dominant ? "yes" : "no", frequencyHz, tone, loudestOtherHz, loudestOther, median, wav.getFileName());
	}

	private static int dataStart(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		int at = 12;
		while (at + 8 <= bytes.length) {
			String id = new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
			int size = buffer.getInt(at + 4);
			if (id.equals("data")) {
				return at + 8;
			}
			at += 8 + size + (size & 1);
		}
		return 44;
	}

	/** Goertzel: the level of one frequency over the samples, in dB of full scale. */
	private static double levelDb(double[] samples, int sampleRate, double frequencyHz) {
		double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
		double previous = 0;
		double beforePrevious = 0;
		for (double sample : samples) {
			double current = sample + coefficient * previous - beforePrevious;
			beforePrevious = previous;
			previous = current;
		}
		double power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
		double amplitude = 2 * Math.sqrt(Math.max(power, 1e-30)) / samples.length;
		return 20 * Math.log10(Math.max(amplitude, 1e-12));
	}

}
