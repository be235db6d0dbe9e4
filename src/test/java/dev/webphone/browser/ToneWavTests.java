package dev.webphone.browser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ToneWavTests {

	@TempDir
	Path dir;

	@Test
	void writesA48kHzMono16BitPcmFileThatJavaSoundCanRead() throws Exception {
		ToneWav tone = ToneWav.write(dir, 440);

		try (AudioInputStream in = AudioSystem.getAudioInputStream(tone.file().toFile())) {
			AudioFormat format = in.getFormat();
			assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
			assertThat(format.getSampleRate()).isEqualTo(48_000f);
			assertThat(format.getChannels()).isEqualTo(1);
			assertThat(format.getSampleSizeInBits()).isEqualTo(16);
			assertThat(format.isBigEndian()).isFalse();
			assertThat(in.getFrameLength()).isEqualTo(3 * 48_000);
		}
	}

	@Test
	void samplesCrossZeroTwicePerCycle() throws Exception {
		short[] samples = samplesOf(ToneWav.write(dir, 1000));

		int crossings = 0;
		for (int i = 1; i < samples.length; i++) {
			if ((samples[i - 1] < 0) != (samples[i] < 0)) {
				crossings++;
			}
		}
		// 3 s of 1000 Hz; a sample landing exactly on zero can shift the count by one either way.
		assertThat(crossings).isBetween(2 * 3000 - 2, 2 * 3000 + 2);
	}

	@Test
	void rejectsFrequenciesAboveNyquist() {
		assertThatIllegalArgumentException().isThrownBy(() -> ToneWav.write(dir, 24_000));
	}

	private static short[] samplesOf(ToneWav tone) throws Exception {
		try (AudioInputStream in = AudioSystem.getAudioInputStream(tone.file().toFile())) {
			ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
			short[] samples = new short[bytes.remaining() / 2];
			bytes.asShortBuffer().get(samples);
			return samples;
		}
	}

}
