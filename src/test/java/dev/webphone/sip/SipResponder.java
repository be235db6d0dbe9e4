package dev.webphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SIP user agent that turns every {@code INVITE} down, with a status chosen by the user part of the
 * request URI ({@code sip:code486@...} gets {@code 486 Busy Here}): the far ends a real phone rarely gives
 * on demand. UDP on the test's end of the {@link NetworkNamespace}'s veth, where Janus reaches it.
 */
public final class SipResponder implements AutoCloseable {

	/** The user parts it knows, and the final response each gets. */
	public static final Map<String, String> RESPONSES = Map.of("code486", "486 Busy Here", "code404", "404 Not Found",
			"code603", "603 Decline", "code503", "503 Service Unavailable");

	private final DatagramSocket socket;

	private final String host;

	private final List<String> invites = new ArrayList<>();

	private SipResponder(DatagramSocket socket, String host) {
		this.socket = socket;
		this.host = host;
	}

	/** Starts answering on a free UDP port of {@code host}. */
	public static SipResponder start(String host) {
		try {
			SipResponder responder = new SipResponder(new DatagramSocket(0, InetAddress.getByName(host)), host);
			Thread thread = new Thread(responder::serve, "sip-responder");
			thread.setDaemon(true);
			thread.start();
			return responder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The URI that gets {@code user}'s response, e.g. {@code uri("code486")}. */
	public String uri(String user) {
		return "sip:" + user + "@" + this.host + ":" + this.socket.getLocalPort();
	}

	/** The request URIs of the INVITEs it turned down so far. */
	public List<String> invites() {
		synchronized (this.invites) {
			return List.copyOf(this.invites);
		}
	}

	private void serve() {
		byte[] buffer = new byte[65_535];
		while (!this.socket.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
				String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
				String reply = reply(request);
				if (reply != null) {
					byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
					this.socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
				}
			}
			catch (SocketException ex) {
				return;
			}
			catch (IOException ex) {
				// A packet lost; SIP retransmits.
			}
		}
	}

	private String reply(String request) {
		String[] lines = request.split("\r\n");
		String[] start = lines[0].split(" ");
		if (start.length < 3 || start[0].startsWith("SIP/")) {
			return null;
		}
		String method = start[0];
		String status;
		if (method.equals("INVITE")) {
			String user = start[1].replaceFirst("^sips?:", "").replaceFirst("@.*$", "");
			status = RESPONSES.getOrDefault(user, "480 Temporarily Unavailable");
			synchronized (this.invites) {
				this.invites.add(start[1]);
			}
		}
		else if (method.equals("ACK")) {
			return null;
		}
		else {
			status = "200 OK";
		}
		StringBuilder reply = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
		for (String line : lines) {
			String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase() : "";
			switch (name) {
				case "via", "v", "from", "f", "call-id", "i", "cseq" -> reply.append(line).append("\r\n");
				case "to", "t" -> reply.append(line).append(line.contains(";tag=") ? "" : ";tag=responder").append("\r\n");
				default -> {
				}
			}
		}
		return reply.append("Content-Length: 0\r\n\r\n").toString();
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
