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

	/** The user part that rings ({@code 180 Ringing}) until the caller cancels ({@code 487}). */
	public static final String RINGS = "code180";

	private final DatagramSocket socket;

	private final String host;

	private final List<String> invites = new ArrayList<>();

	/** The INVITEs that ring, by Call-ID, until a CANCEL ends them. */
	private final Map<String, String> ringing = new java.util.concurrent.ConcurrentHashMap<>();

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
				String reply = reply(request, packet.getSocketAddress());
				if (reply != null) {
					send(reply, packet.getSocketAddress());
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

	private void send(String reply, java.net.SocketAddress to) throws IOException {
		byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
		this.socket.send(new DatagramPacket(bytes, bytes.length, to));
	}

	private String reply(String request, java.net.SocketAddress from) throws IOException {
		String[] lines = request.split("\r\n");
		String[] start = lines[0].split(" ");
		if (start.length < 3 || start[0].startsWith("SIP/")) {
			return null;
		}
		String method = start[0];
		String status;
		if (method.equals("INVITE")) {
			String user = start[1].replaceFirst("^sips?:", "").replaceFirst("@.*$", "");
			synchronized (this.invites) {
				this.invites.add(start[1]);
			}
			if (user.equals(RINGS)) {
				// Rings until cancelled; a retransmission of the INVITE rings again.
				this.ringing.put(header(lines, "call-id", "i"), request);
				return response("180 Ringing", lines);
			}
			status = RESPONSES.getOrDefault(user, "480 Temporarily Unavailable");
		}
		else if (method.equals("ACK")) {
			return null;
		}
		else if (method.equals("CANCEL")) {
			String invite = this.ringing.remove(header(lines, "call-id", "i"));
			send(response("200 OK", lines), from);
			return (invite != null) ? response("487 Request Terminated", invite.split("\r\n")) : null;
		}
		else {
			status = "200 OK";
		}
		return response(status, lines);
	}

	private static String header(String[] lines, String name, String compact) {
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				String key = line.substring(0, colon).trim().toLowerCase();
				if (key.equals(name) || key.equals(compact)) {
					return line.substring(colon + 1).trim();
				}
			}
		}
		return "";
	}

	private static String response(String status, String[] lines) {
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
