package dev.webphone.browser;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ToneSpectrumTests {

	private static final double BIN_HZ = 48_000.0 / 8192;

	@Test
	void findsTheLoudestBinAboveTheNoise() {
		ToneSpectrum spectrum = spectrum(-140, 441, -40);

		assertThat(spectrum.peakHz()).isCloseTo(440, within(BIN_HZ));
		assertThat(spectrum.noiseFloorDb()).isEqualTo(-140);
		assertThat(spectrum.isDominantTone(440)).isTrue();
		assertThat(spectrum.isDominantTone(1000)).isFalse();
	}

	@Test
	void aToneFarOffByMoreThanTheToleranceIsNotTheOneExpected() {
		assertThat(spectrum(-140, 470, -40).isDominantTone(440)).isFalse();
	}

	@Test
	void aHarmonicNearDigitalSilenceIsNotAudible() {
		ToneSpectrum spectrum = spectrum(-140, 441, -40);
		spectrum.levelsDb()[bin(880)] = -110;

		assertThat(spectrum.isAudible(880)).isFalse();
	}

	@Test
	void aQuietToneOverNoiseThatIsNotFarAboveItIsNotHeard() {
		assertThat(spectrum(-70, 441, -50).isAudible(440)).isFalse();
	}

	private static ToneSpectrum spectrum(double floorDb, double toneHz, double toneDb) {
		double[] levels = new double[bin(4000)];
		Arrays.fill(levels, floorDb);
		levels[bin(toneHz)] = toneDb;
		return new ToneSpectrum(BIN_HZ, levels);
	}

	private static int bin(double hz) {
		return (int) Math.round(hz / BIN_HZ);
	}

}
