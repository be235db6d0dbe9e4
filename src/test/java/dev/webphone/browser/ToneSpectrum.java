package dev.webphone.browser;

import java.util.Arrays;

/**
 * What a {@link ToneProbe} heard: the average level per FFT bin over its listening window. Decides
 * whether a tone is present, so that the rule lives in one place and can be unit tested.
 *
 * @param binHz the width of one bin (sample rate / FFT size, about 5.9 Hz)
 * @param levelsDb the average level of each bin in dBFS, from 0 Hz upwards
 */
record ToneSpectrum(double binHz, double[] levelsDb) {

	/** Opus and the fake device shift a tone by a bin or two; 15 Hz is still far from any other test tone. */
	static final double TOLERANCE_HZ = 15;

	/**
	 * How far above the noise floor a tone must stand. Through WebRTC a test tone measured about 100 dB
	 * above the floor, comfort noise and the start of a stream far less.
	 */
	static final double MIN_PROMINENCE_DB = 30;

	/**
	 * How loud a tone must be at all. Opus leaves the floor near digital silence (about -140 dBFS), where
	 * even a sent tone's harmonics (-110 dBFS) clear the prominence margin; a tone arrives near -40 dBFS.
	 */
	static final double MIN_LEVEL_DB = -80;

	/** Below this, bins hold DC and rumble rather than anything a test sends. */
	private static final double LOWEST_HZ = 60;

	/** The frequency of the loudest bin. */
	double peakHz() {
		return peakBin() * binHz;
	}

	/** The level of the loudest bin, dBFS. */
	double peakDb() {
		return levelsDb[peakBin()];
	}

	/** The median bin level: most bins hold no tone, so the median is the noise, whatever tone is present. */
	double noiseFloorDb() {
		double[] sorted = Arrays.copyOfRange(levelsDb, firstBin(), levelsDb.length);
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/** The loudest level within {@link #TOLERANCE_HZ} of {@code frequencyHz}, dBFS. */
	double levelAt(double frequencyHz) {
		int from = Math.max(firstBin(), (int) Math.floor((frequencyHz - TOLERANCE_HZ) / binHz));
		int to = Math.min(levelsDb.length - 1, (int) Math.ceil((frequencyHz + TOLERANCE_HZ) / binHz));
		double max = Double.NEGATIVE_INFINITY;
		for (int i = from; i <= to; i++) {
			max = Math.max(max, levelsDb[i]);
		}
		return max;
	}

	/** Whether {@code frequencyHz} is the loudest thing heard and stands clearly above the noise. */
	boolean isDominantTone(double frequencyHz) {
		return Math.abs(peakHz() - frequencyHz) <= TOLERANCE_HZ && isAudible(frequencyHz);
	}

	/** Whether a tone at {@code frequencyHz} is clearly there, loudest or not. */
	boolean isAudible(double frequencyHz) {
		double level = levelAt(frequencyHz);
		return level >= MIN_LEVEL_DB && level - noiseFloorDb() >= MIN_PROMINENCE_DB;
	}

	private int peakBin() {
		int peak = firstBin();
		for (int i = peak + 1; i < levelsDb.length; i++) {
			if (levelsDb[i] > levelsDb[peak]) {
				peak = i;
			}
		}
		return peak;
	}

	private int firstBin() {
		return (int) Math.ceil(LOWEST_HZ / binHz);
	}

	@Override
	public String toString() {
		return String.format("peak %.0f Hz at %.1f dBFS, noise floor %.1f dBFS", peakHz(), peakDb(), noiseFloorDb());
	}

}
