package dev.webphone.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A browser that joins and is gone at once, as a crashing tab or a dropped network does: a plain
 * socket that completes the WebSocket upgrade, sends its {@code connect}, and then resets the TCP
 * connection (no close frame, no FIN).
 */
final class ResettingBrowser {

	private static final SecureRandom random = new SecureRandom();

	private ResettingBrowser() {
	}

	/**
	 * Joins {@code line} on the server at {@code port}, waits {@code delayNanos} (busy, so that even a
	 * few microseconds are honoured), and resets the connection.
	 */
	static void joinAndReset(int port, String line, long delayNanos) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			byte[] key = new byte[16];
			random.nextBytes(key);
			out.write(("GET /webphone/ws HTTP/1.1\r\nHost: localhost:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(key) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			String status = readHeaders(socket.getInputStream());
			if (!status.startsWith("HTTP/1.1 101")) {
				throw new IOException("Upgrade refused: " + status);
			}
			out.write(maskedText("{\"type\":\"connect\",\"line\":\"" + line + "\"}"));
			out.flush();
			long until = System.nanoTime() + delayNanos;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			// Linger zero: close sends a TCP reset instead of a FIN.
			socket.setSoLinger(true, 0);
		}
	}

	/** A final text frame as a client must send it: masked. */
	private static byte[] maskedText(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		if (payload.length > 125) {
			throw new IllegalArgumentException("only short frames");
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		byte[] frame = new byte[2 + 4 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(mask, 0, frame, 2, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		return frame;
	}

	private static String readHeaders(InputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("Connection closed during the upgrade: " + headers);
			}
			headers.append((char) next);
		}
		return headers.toString();
	}

}
