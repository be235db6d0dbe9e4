package dev.webphone.sip;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.webphone.support.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The phone's side of the tone check tells a tone from another one and from silence. */
class WavToneTests {

	@Test
	void findsTheToneSoxMadeAndNoOther(@TempDir Path directory) {
		LocalServers.require(LocalServers.executable("sox") != null, "sox - apt-get install -y sox");
		Path tone = directory.resolve("tone.wav");
		NetworkNamespace.run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tone.toString(), "synth", "2", "sine",
				"440", "vol", "0.5");
		Path silence = directory.resolve("silence.wav");
		NetworkNamespace.run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", silence.toString(), "trim", "0", "2");
		assertThat(WavTone.hasDominantTone(tone, 440)).as(WavTone.describe(tone, 440)).isTrue();
		assertThat(WavTone.hasDominantTone(tone, 1320)).as(WavTone.describe(tone, 1320)).isFalse();
		assertThat(WavTone.hasDominantTone(silence, 440)).as(WavTone.describe(silence, 440)).isFalse();
		assertThat(Files.exists(tone)).isTrue();
	}

}
