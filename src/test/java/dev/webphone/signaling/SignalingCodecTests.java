package dev.webphone.signaling;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The codec accepts exactly the types {@code docs/protocol.md} names: nothing is coerced, and numbers,
 * strings and nesting are bounded before a message is built.
 */
class SignalingCodecTests {

	private final SignalingCodec codec = new SignalingCodec(JsonMapper.builder().build());

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"dial\",\"callId\":1e999999,\"to\":\"1\"}",
			"{\"type\":\"dial\",\"callId\":12,\"to\":\"1\"}", "{\"type\":\"dial\",\"callId\":\"a\",\"to\":1001}",
			"{\"type\":\"dial\",\"callId\":\"a\",\"to\":true}", "{\"type\":\"dial\",\"callId\":\"a\",\"callType\":1}",
			"{\"type\":\"dial\",\"callId\":\"a\",\"callType\":\"\"}", "{\"type\":\"connect\",\"line\":1}",
			"{\"type\":\"connect\",\"line\":false}", "{\"type\":\"hangup\",\"callId\":\"a\",\"reason\":3.5}",
			"{\"type\":\"hangup\",\"callId\":\"a\",\"reason\":true}", "{\"type\":\"accept\",\"callId\":true}",
			"{\"type\":\"ice\",\"callId\":\"a\",\"candidate\":{\"sdpMLineIndex\":\"3\"}}",
			"{\"type\":\"ice\",\"callId\":\"a\",\"candidate\":{\"sdpMLineIndex\":1.5}}",
			"{\"type\":\"ice\",\"callId\":\"a\",\"candidate\":{\"sdpMLineIndex\":1e999999}}",
			"{\"type\":\"ice\",\"callId\":\"a\",\"candidate\":{\"candidate\":7}}",
			"{\"type\":\"sdp\",\"callId\":\"a\",\"description\":{\"type\":\"offer\",\"sdp\":42}}",
			"{\"type\":1,\"callId\":\"a\"}", "{\"type\":\"accept\",\"callId\":\"a\"} trailing",
			"{\"type\":\"forward\",\"callId\":\"a\"}", "{\"type\":\"forward\",\"callId\":\"a\",\"to\":1003}",
			"{\"type\":\"forward\",\"to\":\"1003\"}", "{\"type\":\"forward\",\"callId\":\"a b\",\"to\":\"1003\"}",
			"{\"type\":\"transfer\",\"callId\":\"a\",\"to\":null}", "{\"type\":\"transfer\",\"callId\":\"a\",\"to\":[\"1\"]}",
			"{\"type\":\"transfer\",\"callId\":\"a\",\"to\":\"12345678901234567890123456789012345678901234567890123456789012345\"}",
			"{\"type\":\"transfer\",\"callId\":\"a\",\"to\":\"\\udc00\"}" })
	void valuesOfTheWrongTypeAreRefused(String frame) {
		assertMalformed(frame);
	}

	@Test
	void aFrameThatIsJsonNullIsMalformed() {
		assertThat(assertMalformed("null").getMessage()).contains("JSON object");
	}

	@Test
	void propertyNumbersMustBeFiniteAndShort() {
		assertThat(assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"n\":1e999999}}").getMessage())
			.contains("finite");
		assertThat(assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"n\":-1e400}}").getMessage())
			.contains("finite");
		assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"n\":" + "9".repeat(999) + "}}");
		ClientMessage.Connect connect = (ClientMessage.Connect) this.codec
			.decode("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"n\":12.5,\"m\":-3,\"ok\":true}}");
		assertThat(connect.properties()).containsEntry("n", 12.5).containsEntry("m", -3).containsEntry("ok", true);
	}

	@Test
	void propertiesAreBoundedInTotal() {
		StringBuilder properties = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			properties.append((i > 0) ? "," : "").append("\"k").append(i).append("\":\"").append("x".repeat(200)).append('"');
		}
		assertThat(assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{" + properties + "}}").getMessage())
			.contains("properties");
	}

	@Test
	void deepNestingIsRefusedBeforeItIsBuilt() {
		String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
		assertThat(assertMalformed(deep).getMessage()).contains("nesting");
		assertMalformed("[".repeat(100_000));
	}

	@Test
	void loneSurrogatesAreRefused() {
		assertThat(assertMalformed("{\"type\":\"hangup\",\"callId\":\"a\",\"reason\":\"\\ud800\"}").getMessage())
			.contains("surrogate");
		assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"n\":\"x\\udc00y\"}}");
		assertMalformed("{\"type\":\"connect\",\"line\":\"L\",\"properties\":{\"\\ud800\":\"x\"}}");
		ClientMessage.HangUp paired = (ClientMessage.HangUp) this.codec
			.decode("{\"type\":\"hangup\",\"callId\":\"a\",\"reason\":\"\\ud83d\\ude00\"}");
		assertThat(paired.reason()).isEqualTo("\uD83D\uDE00");
	}

	@Test
	void validMessagesStillDecode() {
		assertThat(this.codec.decode("{\"type\":\"dial\",\"callId\":\"a-1\",\"to\":\"\",\"callType\":\"VIDEO\"}"))
			.isEqualTo(new ClientMessage.Dial("a-1", "", dev.webphone.line.CallType.VIDEO));
		assertThat(this.codec.decode("{\"type\":\"ice\",\"callId\":\"a\",\"candidate\":null,\"extra\":[1,{}]}"))
			.isEqualTo(new Negotiation.Ice("a", null));
		assertThat(this.codec.decode("{\"type\":\"connect\",\"line\":\"L\",\"properties\":null}"))
			.isEqualTo(new ClientMessage.Connect("L", Map.of()));
		assertThat(this.codec.decode("{\"type\":\"forward\",\"callId\":\"a\",\"to\":\"1003\"}"))
			.isEqualTo(new ClientMessage.Forward("a", "1003"));
		assertThat(this.codec.decode("{\"type\":\"transfer\",\"callId\":\"a\",\"to\":\"\"}"))
			.as("an empty target is the line's default route, as for a dial")
			.isEqualTo(new ClientMessage.Transfer("a", ""));
	}

	@Test
	void inCallMessagesDecodeAndAreEncodedForTheOtherPartyUnderItsOwnId() {
		assertThat(this.codec.decode("{\"type\":\"hold\",\"callId\":\"a\"}")).isEqualTo(new ClientMessage.Hold("a"));
		assertThat(this.codec.decode("{\"type\":\"unhold\",\"callId\":\"a\"}")).isEqualTo(new ClientMessage.Unhold("a"));
		CallMessage text = (CallMessage) this.codec.decode("{\"type\":\"message\",\"callId\":\"a\",\"text\":\"hi \\ud83d\\ude00\"}");
		assertThat(text).isEqualTo(new CallMessage.Text("a", "hi \uD83D\uDE00"));
		assertThat(this.codec.encode(CallMessage.of("b", text.toParty())))
			.isEqualTo("{\"type\":\"message\",\"callId\":\"b\",\"text\":\"hi \uD83D\uDE00\"}");
		CallMessage dtmf = (CallMessage) this.codec.decode("{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"0123456789*#ABCD\"}");
		assertThat(this.codec.encode(CallMessage.of("b", dtmf.toParty())))
			.isEqualTo("{\"type\":\"dtmf\",\"callId\":\"b\",\"digits\":\"0123456789*#ABCD\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"message\",\"callId\":\"a\",\"text\":\"\"}",
			"{\"type\":\"message\",\"callId\":\"a\"}", "{\"type\":\"message\",\"callId\":\"a\",\"text\":5}",
			"{\"type\":\"message\",\"callId\":\"a\",\"text\":[\"x\"]}",
			"{\"type\":\"message\",\"text\":\"no call\"}", "{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"\"}",
			"{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"1 2\"}", "{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"d\"}",
			"{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"E\"}", "{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":5}",
			"{\"type\":\"dtmf\",\"callId\":\"a\"}", "{\"type\":\"hold\",\"callId\":7}", "{\"type\":\"unhold\"}" })
	void malformedInCallMessagesAreRefused(String frame) {
		assertMalformed(frame);
	}

	@Test
	void aMessageMayBe2000CharactersAndNoMoreAndDigits32() {
		assertThat(assertMalformed("{\"type\":\"message\",\"callId\":\"a\",\"text\":\"" + "x".repeat(2001) + "\"}")
			.getMessage()).contains("2000");
		this.codec.decode("{\"type\":\"message\",\"callId\":\"a\",\"text\":\"" + "x".repeat(2000) + "\"}");
		assertMalformed("{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"" + "1".repeat(33) + "\"}");
		this.codec.decode("{\"type\":\"dtmf\",\"callId\":\"a\",\"digits\":\"" + "1".repeat(32) + "\"}");
	}

	private SignalingException assertMalformed(String frame) {
		SignalingException refused = assertThatExceptionOfType(SignalingException.class)
			.as(frame.substring(0, Math.min(frame.length(), 120)))
			.isThrownBy(() -> this.codec.decode(frame))
			.actual();
		assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED);
		assertThat(refused.getMessage()).hasSizeLessThan(300);
		return refused;
	}

}
