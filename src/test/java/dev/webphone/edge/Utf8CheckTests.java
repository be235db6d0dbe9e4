package dev.webphone.edge;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's own UTF-8 check agrees with the JDK's strict decoder, on valid text, on the classic
 * invalid forms and on random bytes biased towards multi-byte sequences.
 */
class Utf8CheckTests {

	@Test
	void validTextPasses() {
		assertThat(ByteFrameAdapter.Utf8.isValid("{\"sdp\":\"v=0 é € 😀 \u07ff \uffff\"}".getBytes(StandardCharsets.UTF_8)))
			.isTrue();
		assertThat(ByteFrameAdapter.Utf8.isValid(new byte[0])).isTrue();
	}

	@Test
	void invalidFormsAreRefused() {
		byte[][] invalid = { { (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xC3 },
				{ (byte) 0xE0, (byte) 0x80, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				{ (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, { (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
				{ (byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF }, { 'a', (byte) 0xE2, (byte) 0x82 }, { (byte) 0xFF } };
		for (byte[] bytes : invalid) {
			assertThat(ByteFrameAdapter.Utf8.isValid(bytes)).as("%s", java.util.Arrays.toString(bytes)).isFalse();
		}
	}

	@Test
	void agreesWithTheJdksStrictDecoderOnRandomBytes() {
		Random random = new Random(11);
		byte[] pool = { 'a', '"', (byte) 0x80, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF, (byte) 0xC2, (byte) 0xDF,
				(byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0x8F, (byte) 0x90 };
		for (int i = 0; i < 200_000; i++) {
			byte[] bytes = new byte[1 + random.nextInt(6)];
			for (int j = 0; j < bytes.length; j++) {
				bytes[j] = pool[random.nextInt(pool.length)];
			}
			assertThat(ByteFrameAdapter.Utf8.isValid(bytes)).as("%s", java.util.Arrays.toString(bytes))
				.isEqualTo(jdkAccepts(bytes));
		}
	}

	private static boolean jdkAccepts(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
