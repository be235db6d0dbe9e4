package dev.webphone.signaling;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * A browser that stops reading: a plain socket that speaks just enough WebSocket to join a line and
 * send a few frames, then never reads what the server sends.
 */
public final class StalledBrowser implements AutoCloseable {

	private static final SecureRandom random = new SecureRandom();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	public StalledBrowser(int port) throws IOException {
		this.socket = new Socket();
		// A small receive window, so that the server's side fills up quickly.
		this.socket.setReceiveBufferSize(4096);
		this.socket.connect(new InetSocketAddress("localhost", port), 5000);
		this.socket.setSoTimeout(10_000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		byte[] key = new byte[16];
		random.nextBytes(key);
		this.out.write(("GET /webphone/ws HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(key) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		String status = readHeaders(this.in);
		if (!status.startsWith("HTTP/1.1 101")) {
			throw new IOException("Upgrade refused: " + status);
		}
	}

	/**
	 * Joins {@code Webphone1} on the server at {@code port}, answers a call from {@code caller} with id
	 * {@code callId}, and from then on reads nothing.
	 */
	public static StalledBrowser inCallWith(SignalingClient caller, String callId, int port) throws Exception {
		StalledBrowser stalled = new StalledBrowser(port);
		stalled.send("{\"type\":\"connect\",\"line\":\"Webphone1\"}");
		String number = json.readTree(stalled.receive()).path("phoneNumber").asString();
		caller.send(Map.of("type", "dial", "callId", callId, "to", number));
		caller.awaitCallState(callId, "RINGING");
		stalled.send("{\"type\":\"accept\",\"callId\":\"" + callId + "\"}");
		caller.awaitCallState(callId, "IN_CALL");
		return stalled;
	}

	/**
	 * Makes {@code caller} send far more through the call than socket buffers (up to 4 MB on loopback
	 * here) and a send-buffer limit of up to 512 KB can take: 190 session descriptions of 58,000
	 * characters, about 11 MB, within the per-browser burst of 200 messages.
	 */
	public static void flood(SignalingClient caller, String callId) throws IOException {
		String sdp = "v=0 " + "x".repeat(58_000);
		for (int i = 0; i < 190; i++) {
			caller.send(Map.of("type", "sdp", "callId", callId, "description", Map.of("type", "offer", "sdp", sdp)));
		}
	}

	/** Sends one masked text frame, as browsers must. */
	public void send(String text) throws IOException {
		sendFrame(true, 1, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends one masked frame as it is given: a fragment ({@code fin} false, or opcode 0 for a
	 * continuation), a ping (9), bytes that are not UTF-8.
	 */
	public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length & 0xff);
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/**
	 * Reads one unfragmented frame of any kind (short enough for a 16-bit length).
	 * @return its opcode followed by its payload
	 */
	public byte[] receiveFrame() throws IOException {
		int opcode = this.in.readUnsignedByte() & 0x0f;
		int length = this.in.readUnsignedByte() & 0x7f;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		byte[] frame = new byte[length + 1];
		frame[0] = (byte) opcode;
		this.in.readFully(frame, 1, length);
		return frame;
	}

	/**
	 * Reads one unfragmented text frame (short enough for a 16-bit length), passing over the server's
	 * pings, which this browser never answers.
	 */
	public String receive() throws IOException {
		while (true) {
			int opcode = this.in.readUnsignedByte() & 0x0f;
			int length = this.in.readUnsignedByte() & 0x7f;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			byte[] payload = this.in.readNBytes(length);
			if (opcode == 1) {
				return new String(payload, StandardCharsets.UTF_8);
			}
			if (opcode != 9) {
				throw new IOException("Expected a text frame, got opcode " + opcode);
			}
		}
	}

	/**
	 * Reads, and drops, whatever the server sends until it closes the connection (or the read times
	 * out).
	 * @return whether the server closed the connection
	 */
	public boolean readUntilClosed() throws IOException {
		try {
			while (this.in.read() >= 0) {
				// discard
			}
			return true;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (java.net.SocketException ex) {
			// reset by the server: closed too
			return true;
		}
	}

	private static String readHeaders(InputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("Connection closed during the handshake: " + headers);
			}
			headers.append((char) next);
		}
		return headers.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
