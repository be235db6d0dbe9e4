package dev.webphone.signaling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;

import dev.webphone.line.ErrorCode;
import dev.webphone.line.PresenceFrame;
import dev.webphone.line.PresenceFrame.Announcement;
import dev.webphone.line.SignalingException;
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

	private final ObjectWriter clientStateWriter;

	SignalingCodec(JsonMapper jsonMapper) {
		this.reader = jsonMapper.readerFor(ClientMessage.class);
		this.writer = jsonMapper.writerFor(ServerMessage.class);
		this.clientStateWriter = jsonMapper.writerFor(ServerMessage.ClientState.class);
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
		return "Not a valid message: " + ex.getOriginalMessage();
	}

}
