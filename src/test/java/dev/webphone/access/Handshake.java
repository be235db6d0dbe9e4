package dev.webphone.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A signalling WebSocket handshake over a plain socket from a chosen local address (any of
 * 127.0.0.0/8 works on loopback), as a proxy would send it; held open until closed.
 */
record Handshake(Socket socket, int status) implements AutoCloseable {

	static Handshake open(InetAddress from, int port, String forwardedFor) throws IOException {
		Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0);
		socket.setSoTimeout(10_000);
		String request = "GET /webphone/ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
				+ ((forwardedFor != null) ? "X-Forwarded-For: " + forwardedFor + "\r\n" : "") + "\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(request.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
			.readLine();
		return new Handshake(socket, Integer.parseInt(statusLine.split(" ")[1]));
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
