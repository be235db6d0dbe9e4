package dev.webphone.signaling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;

import dev.webphone.line.PresenceFrame;
import dev.webphone.line.PresenceFrame.Announcement;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns frames into {@link ClientMessage}s and {@link ServerMessage}s into frames.
 *
 * <p>Every frame comes from an untrusted browser, so it is read strictly: exactly the JSON types
 * {@code docs/protocol.md} names (a number is never taken for a string, nor a string or a fraction for
 * a number, nor a number for an enum), one value per frame, and bounds on nesting, number and string
 * length that the parser applies before anything is built.
 */
@Component
class SignalingCodec {

	/** Deeper than any message needs ({@code properties}, {@code description} and {@code candidate} are 2). */
	static final int MAX_NESTING_DEPTH = 8;

	/** Characters in one number as written; no field needs more than {@code sdpMLineIndex}'s 4. */
	static final int MAX_NUMBER_LENGTH = 32;

	/** Characters in one string: the longest field, {@code description.sdp}. */
	static final int MAX_STRING_LENGTH = 60_000;

	static final int MAX_NAME_LENGTH = 256;

	private final ObjectReader reader;

	private final ObjectWriter writer;

	private final ObjectWriter clientStateWriter;

	SignalingCodec(JsonMapper jsonMapper) {
		this.reader = strictMapper().readerFor(ClientMessage.class);
		this.writer = jsonMapper.writerFor(ServerMessage.class);
		this.clientStateWriter = jsonMapper.writerFor(ServerMessage.ClientState.class);
	}

	private static JsonMapper strictMapper() {
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_NESTING_DEPTH)
				.maxNumberLength(MAX_NUMBER_LENGTH)
				.maxStringLength(MAX_STRING_LENGTH)
				.maxNameLength(MAX_NAME_LENGTH)
				.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build();
		return JsonMapper.builder(factory)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.withCoercionConfigDefaults((coercion) -> {
				coercion.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
				coercion.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
				coercion.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
				coercion.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
				coercion.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
			})
			.build();
	}

	/**
	 * @throws SignalingException ({@code MALFORMED}) with a message that says what is wrong
	 */
	ClientMessage decode(String frame) {
		return decode(frame.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A frame as UTF-8 bytes, parsed as they are.
	 * @throws SignalingException ({@code MALFORMED}) with a message that says what is wrong
	 */
	ClientMessage decode(byte[] frame) {
		ClientMessage message;
		try {
			message = this.reader.readValue(frame);
		}
		catch (JacksonException ex) {
			throw new SignalingException(ErrorCode.MALFORMED, describe(ex));
		}
		if (message == null) {
			throw new SignalingException(ErrorCode.MALFORMED, "Not a valid message: a frame must be a JSON object");
		}
		return message;
	}

	String encode(ServerMessage message) {
		return this.writer.writeValueAsString(message);
	}

	/**
	 * A {@code client-states} frame as UTF-8, read-only, to be sent as it is to every client that gets
	 * it; each announcement in it is encoded once however many frames it appears in.
	 */
	ByteBuffer encode(PresenceFrame frame) {
		StringJoiner clients = new StringJoiner(",", "[", "]");
		for (Announcement announcement : frame.announcements()) {
			clients.add(announcement.encoded(this::encode));
		}
		String mode = (frame.mode() != null) ? frame.mode().name().toLowerCase(Locale.ROOT) : null;
		byte[] utf8 = encode(new ServerMessage.ClientStates(mode, clients.toString())).getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
	}

	private String encode(Announcement announcement) {
		return this.clientStateWriter.writeValueAsString(new ServerMessage.ClientState(announcement.phoneNumber(),
				announcement.status(), announcement.properties()));
	}

	private static String describe(JacksonException ex) {
		// A field rule's own words are the clearest; Jackson's add a source excerpt the client already has.
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException) {
				return cause.getMessage();
			}
		}
		String reason = ex.getOriginalMessage();
		// Jackson quotes what it could not take, which may be most of a 64 KB frame.
		return "Not a valid message: " + ((reason.length() > 200) ? reason.substring(0, 200) + "..." : reason);
	}

}
