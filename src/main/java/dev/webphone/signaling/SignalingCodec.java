package dev.webphone.signaling;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns frames into {@link ClientMessage}s and {@link ServerMessage}s into frames.
 */
@Component
class SignalingCodec {

	private final ObjectReader reader;

	private final ObjectWriter writer;

	SignalingCodec(JsonMapper jsonMapper) {
		this.reader = jsonMapper.readerFor(ClientMessage.class);
		this.writer = jsonMapper.writerFor(ServerMessage.class);
	}

	/**
	 * @throws SignalingException ({@code MALFORMED}) with a message that says what is wrong
	 */
	ClientMessage decode(String frame) {
		try {
			return this.reader.readValue(frame);
		}
		catch (JacksonException ex) {
			throw new SignalingException(ErrorCode.MALFORMED, describe(ex));
		}
	}

	String encode(ServerMessage message) {
		return this.writer.writeValueAsString(message);
	}

	private static String describe(JacksonException ex) {
		// A field rule's own words are the clearest; Jackson's add a source excerpt the client already has.
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException) {
				return cause.getMessage();
			}
		}
		return "Not a valid message: " + ex.getOriginalMessage();
	}

}
