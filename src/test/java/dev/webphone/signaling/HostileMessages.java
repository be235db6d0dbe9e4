package dev.webphone.signaling;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of malformed and hostile signalling frames, for the fuzz suite: the same seed
 * gives the same frames, so a failing run can be replayed. Most are built from a valid message and
 * then broken: a field of the wrong type or missing, a huge number, deep nesting, a lone surrogate,
 * another client's call id, a random mutation of the text; some are oversized or binary frames.
 */
final class HostileMessages {

	/** What a frame is, to count them by kind. */
	enum Kind {

		WRONG_TYPE, MISSING_FIELD, HUGE_NUMBER, DEEP_NESTING, LONE_SURROGATE, OTHERS_CALL_ID, MUTATION, VALID,
		NOT_AN_OBJECT, OVERSIZED, BINARY

	}

	/** One frame: text, or binary when {@code binary} is set. */
	record Frame(Kind kind, String text, ByteBuffer binary) {

		static Frame text(Kind kind, String text) {
			return new Frame(kind, text, null);
		}

	}

	private static final List<String> TYPES = List.of("connect", "dial", "accept", "reject", "hangup", "forward",
			"transfer", "sdp", "ice", "hold", "unhold", "message", "dtmf");

	private final Random random;

	private final String foreignCallId;

	private final List<String> numbers;

	/**
	 * @param foreignCallId the id of a call between two other clients, which frames try to touch
	 * @param numbers numbers on the line, to dial
	 */
	HostileMessages(long seed, String foreignCallId, List<String> numbers) {
		this.random = new Random(seed);
		this.foreignCallId = foreignCallId;
		this.numbers = numbers;
	}

	Frame next() {
		int roll = this.random.nextInt(1000);
		if (roll < 2) {
			// Rare: each closes its connection (1009), which then has to be opened again.
			return Frame.text(Kind.OVERSIZED, "{\"type\":\"hangup\",\"callId\":\"x\",\"reason\":\""
					+ "x".repeat(65_536 + this.random.nextInt(10_000)) + "\"}");
		}
		if (roll < 40) {
			byte[] bytes = new byte[this.random.nextInt(200)];
			this.random.nextBytes(bytes);
			return new Frame(Kind.BINARY, null, ByteBuffer.wrap(bytes));
		}
		if (roll < 160) {
			return Frame.text(Kind.WRONG_TYPE, valid(pick(TYPES), field(), anyValue()));
		}
		if (roll < 260) {
			return Frame.text(Kind.MISSING_FIELD, withoutAField());
		}
		if (roll < 360) {
			return Frame.text(Kind.HUGE_NUMBER, valid(pick(TYPES), field(), hugeNumber()));
		}
		if (roll < 440) {
			int depth = 5 + this.random.nextInt(3000);
			String open = this.random.nextBoolean() ? "[" : "{\"a\":";
			String close = open.equals("[") ? "]" : "}";
			String nested = open.repeat(depth) + "1" + (this.random.nextBoolean() ? close.repeat(depth) : "");
			return Frame.text(Kind.DEEP_NESTING, valid(pick(TYPES), field(), nested));
		}
		if (roll < 540) {
			String surrogate = this.random.nextBoolean() ? "\"x\\ud800y\"" : "\"\\udfff\"";
			return Frame.text(Kind.LONE_SURROGATE, valid(pick(TYPES), field(), surrogate));
		}
		if (roll < 680) {
			return Frame.text(Kind.OTHERS_CALL_ID, valid(pick(TYPES), null, null).replace("\"callId\":\"c\"",
					"\"callId\":\"" + this.foreignCallId + "\""));
		}
		if (roll < 880) {
			return Frame.text(Kind.MUTATION, mutate(valid(pick(TYPES), null, null)));
		}
		if (roll < 940) {
			return Frame.text(Kind.NOT_AN_OBJECT, pick(List.of("null", "true", "0", "-1e999999", "\"s\"", "[]", "[null]",
					"", " ", "{", "}", "{}", "{\"type\":null}", "{\"type\":{}}", "{\"type\":\"dial\"}{}")));
		}
		return Frame.text(Kind.VALID, valid(pick(TYPES), null, null));
	}

	/** A message of {@code type} with its usual fields; {@code field}, if given, set to the raw JSON {@code value}. */
	private String valid(String type, String field, String value) {
		StringBuilder json = new StringBuilder("{\"type\":\"").append(type).append('"');
		switch (type) {
			case "connect" -> json.append(",\"line\":\"Webphone1\",\"properties\":{\"nickname\":\"fuzz\",\"n\":")
				.append(this.random.nextInt(100))
				.append('}');
			case "dial" -> json.append(",\"callId\":\"c\",\"to\":\"").append(pick(this.numbers)).append("\",\"callType\":\"AUDIO\"");
			case "hangup" -> json.append(",\"callId\":\"c\",\"reason\":\"bye\"");
			case "forward", "transfer" -> json.append(",\"callId\":\"c\",\"to\":\"").append(pick(this.numbers)).append('"');
			case "sdp" -> json.append(",\"callId\":\"c\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}");
			case "ice" -> json.append(",\"callId\":\"c\",\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
			case "message" -> json.append(",\"callId\":\"c\",\"text\":\"hello \u00e9\"");
			case "dtmf" -> json.append(",\"callId\":\"c\",\"digits\":\"12*#A\"");
			default -> json.append(",\"callId\":\"c\"");
		}
		if (field != null) {
			json.append(",\"").append(field).append("\":").append(value);
		}
		return json.append('}').toString();
	}

	private String withoutAField() {
		String message = valid(pick(TYPES), null, null);
		String field = pick(List.of("\"type\":\"[a-z]+\",?", ",\"callId\":\"c\"", ",\"line\":\"Webphone1\"",
				",\"description\":\\{[^}]*\\}", ",\"to\":\"[^\"]*\"", ",\"text\":\"[^\"]*\"",
				",\"digits\":\"[^\"]*\""));
		return message.replaceFirst(field, "").replace("{,", "{");
	}

	private String field() {
		return pick(List.of("type", "callId", "to", "line", "reason", "callType", "properties", "description",
				"candidate", "text", "digits"));
	}

	private String anyValue() {
		return pick(List.of("1", "0", "-7", "1.5", "true", "false", "null", "[]", "[\"c\"]", "{}", "{\"a\":1}", "\"\"",
				"\"" + this.foreignCallId + "\"", "{\"nickname\":{\"deep\":1}}", "{\"k\":[1,2]}", "\"VIDEO \"",
				"{\"type\":\"offer\",\"sdp\":5}", "{\"sdpMLineIndex\":\"1\"}",
				"\"12e\"", "\"" + "x".repeat(2001) + "\""));
	}

	private String hugeNumber() {
		return switch (this.random.nextInt(6)) {
			case 0 -> "1e999999";
			case 1 -> "-1e999999";
			case 2 -> "9".repeat(33 + this.random.nextInt(2000));
			case 3 -> "0." + "1".repeat(33 + this.random.nextInt(2000));
			case 4 -> "{\"n\":1e999999}";
			default -> "{\"n\":" + "9".repeat(999) + "}";
		};
	}

	private String mutate(String message) {
		StringBuilder text = new StringBuilder(message);
		int mutations = 1 + this.random.nextInt(4);
		for (int i = 0; i < mutations && text.length() > 0; i++) {
			int at = this.random.nextInt(text.length());
			switch (this.random.nextInt(4)) {
				case 0 -> text.deleteCharAt(at);
				case 1 -> text.insert(at, (char) (this.random.nextBoolean() ? 32 + this.random.nextInt(95)
						: this.random.nextInt(0x10000)));
				case 2 -> text.setCharAt(at, "{}[]\",:0\\".charAt(this.random.nextInt(9)));
				default -> text.insert(at, text.substring(at, Math.min(text.length(), at + this.random.nextInt(20))));
			}
		}
		return text.toString();
	}

	private <T> T pick(List<T> choices) {
		return choices.get(this.random.nextInt(choices.size()));
	}

}
