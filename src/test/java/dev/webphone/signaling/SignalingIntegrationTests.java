package dev.webphone.signaling;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded webphone line over real WebSocket connections: joining, presence, the life of a call,
 * and the relay of WebRTC negotiation.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
class SignalingIntegrationTests {

	@LocalServerPort
	int port;

	@RegisterExtension
	final OpenClients clients = new OpenClients();




	private static Map<String, String> dial(String callId, String to) {
		return Map.of("type", "dial", "callId", callId, "to", to);
	}

	private static Map<String, String> onCall(String type, String callId) {
		return Map.of("type", type, "callId", callId);
	}

	/** Sets up a connected call from {@code a} to {@code b} with id {@code callId}. */
	private static void connect(SignalingClient a, SignalingClient b, String callId) throws Exception {
		a.send(dial(callId, b.number()));
		a.awaitCallState(callId, "RINGING");
		b.await("incoming", (m) -> callId.equals(m.path("callId").asString()));
		b.send(onCall("accept", callId));
		assertThat(a.awaitCallState(callId, "IN_CALL").path("offerer").asBoolean()).isTrue();
		assertThat(b.awaitCallState(callId, "IN_CALL").path("offerer").asBoolean()).isFalse();
	}

	@Test
	void joiningALineGivesEachConnectionANewNumber() throws Exception {
		SignalingClient first = this.clients.join("Webphone1");
		SignalingClient second = this.clients.join("Webphone1");
		first.close();
		SignalingClient third = this.clients.join("Webphone1");
		assertThat(List.of(first.number(), second.number(), third.number())).doesNotHaveDuplicates()
			.allMatch((number) -> number.matches("\\d+"));
	}

	@Test
	void accessToAnUnknownLineIsDeniedAndTheConnectionClosed() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "NoSuchLine"));
		assertThat(client.await("access-denied").path("reason").asString()).contains("NoSuchLine");
		assertThat(client.awaitClosed().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
	}

	@Test
	void aFullLineDeniesAccessUntilASeatIsFree() throws Exception {
		SignalingClient first = this.clients.join("Small");
		SignalingClient second = this.clients.open();
		second.send(Map.of("type", "connect", "line", "Small"));
		assertThat(second.await("access-denied").path("reason").asString()).contains("full");
		first.close();
		SignalingClient third = this.clients.open();
		third.send(Map.of("type", "connect", "line", "Small"));
		third.await("access-granted");
	}

	@Test
	void presenceIsAnnouncedInBothDirectionsWithProperties() throws Exception {
		SignalingClient ann = this.clients.open();
		ann.send(Map.of("type", "connect", "line", "Webphone1", "properties", Map.of("nickname", "Ann")));
		ann.await("access-granted");
		this.clients.add(ann);
		SignalingClient bob = this.clients.join("Webphone1");
		JsonNode annSeenByBob = bob.awaitClientState(ann.number(), "ONLINE");
		assertThat(annSeenByBob.path("properties").path("nickname").asString()).isEqualTo("Ann");
		ann.awaitClientState(bob.number(), "ONLINE");
		bob.close();
		ann.awaitClientState(bob.number(), "OFFLINE");
	}

	@Test
	void accessGrantedCarriesTheIceConfiguration() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "Webphone1"));
		JsonNode granted = client.await("access-granted");
		assertThat(granted.path("iceServers").isArray()).isTrue();
		assertThat(granted.path("iceTransportPolicy").asString()).isEqualTo("all");
	}

	@Test
	void accessGrantedAlwaysComesBeforeAnyPresence() throws Exception {
		List<CompletableFuture<SignalingClient>> joining = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			joining.add(CompletableFuture.supplyAsync(() -> {
				try {
					return this.clients.join("Webphone1");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		for (CompletableFuture<SignalingClient> client : joining) {
			assertThat(client.join().firstMessage().path("type").asString()).isEqualTo("access-granted");
		}
	}

	@Test
	void aClientIsNeverToldAboutItselfAsAnotherClient() throws Exception {
		SignalingClient alone = this.clients.join("Webphone1");
		// The list of everyone online may name the client itself (it is one frame for every joiner);
		// no change about it ever comes.
		alone.await("client-states", (m) -> "full".equals(m.path("mode").asString()));
		alone.assertReceivedNo("client-states", (m) -> !m.has("mode"));
	}

	@Test
	void dialRingAcceptAndHangUp() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		a.send(dial("call-1", b.number()));
		JsonNode ringing = a.awaitCallState("call-1", "RINGING");
		assertThat(ringing.path("otherParty").asString()).isEqualTo(b.number());
		JsonNode incoming = b.await("incoming");
		assertThat(incoming.path("callId").asString()).isEqualTo("call-1");
		assertThat(incoming.path("from").asString()).isEqualTo(a.number());
		assertThat(incoming.path("callType").asString()).isEqualTo("AUDIO");
		b.send(onCall("accept", "call-1"));
		a.awaitCallState("call-1", "IN_CALL");
		b.awaitCallState("call-1", "IN_CALL");
		b.send(onCall("hangup", "call-1"));
		a.awaitCallState("call-1", "COMPLETED");
		b.awaitCallState("call-1", "COMPLETED");
		// Hanging up an ended call is no error.
		a.send(onCall("hangup", "call-1"));
		a.assertReceivedNo("error", (m) -> "call-1".equals(m.path("callId").asString()));
		assertThat(a.isOpen()).isTrue();
	}

	@Test
	void aCallToAClientInAnotherCallIsBusy() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		SignalingClient c = this.clients.join("Webphone1");
		connect(a, b, "ab");
		c.send(dial("cb", b.number()));
		c.awaitCallState("cb", "BUSY");
		b.assertReceivedNo("incoming", (m) -> "cb".equals(m.path("callId").asString()));
	}

	@Test
	void aCallToANumberNobodyHasIsNotFound() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		a.send(dial("nobody", "999999"));
		assertThat(a.awaitCallState("nobody", "NOT_FOUND").path("reason").asString()).contains("999999");
	}

	@Test
	void anEmptyNumberGoesToTheLinesDefaultRoute() throws Exception {
		SignalingClient operator = this.clients.join("Routed");
		assertThat(operator.number()).isEqualTo("2001");
		SignalingClient caller = this.clients.join("Routed");
		caller.send(dial("to-operator", ""));
		caller.awaitCallState("to-operator", "RINGING");
		operator.await("incoming", (m) -> "to-operator".equals(m.path("callId").asString()));
	}

	@Test
	void theCallerHangingUpWhileRingingEndsTheCallForBoth() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		a.send(dial("cancelled", b.number()));
		b.await("incoming");
		a.send(onCall("hangup", "cancelled"));
		a.awaitCallState("cancelled", "COMPLETED");
		b.awaitCallState("cancelled", "COMPLETED");
		b.send(onCall("accept", "cancelled"));
		assertThat(b.await("error").path("code").asString()).isEqualTo("UNKNOWN_CALL");
	}

	@Test
	void theCalleeRejectingIsRejectedForTheCaller() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		a.send(dial("declined", b.number()));
		b.await("incoming");
		b.send(onCall("reject", "declined"));
		a.awaitCallState("declined", "REJECTED");
		b.awaitCallState("declined", "COMPLETED");
	}

	@Test
	void aPartyDisconnectingMidCallCompletesTheCallForTheOther() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		connect(a, b, "dropped");
		b.close();
		assertThat(a.awaitCallState("dropped", "COMPLETED").path("reason").asString()).contains("disconnected");
		// The one left can call again at once.
		SignalingClient c = this.clients.join("Webphone1");
		a.send(dial("again", c.number()));
		a.awaitCallState("again", "RINGING");
	}

	@Test
	void aCallNobodyAnswersEndsAsNotAnswered() throws Exception {
		SignalingClient a = this.clients.join("Quick");
		SignalingClient b = this.clients.join("Quick");
		a.send(dial("unanswered", b.number()));
		b.await("incoming");
		a.awaitCallState("unanswered", "NOT_ANSWERED");
		b.awaitCallState("unanswered", "NOT_ANSWERED");
	}

	@RepeatedTest(10)
	void twoClientsDiallingEachOtherAtOnceEndInOneConnectedCall() throws Exception {
		SignalingClient a = this.clients.join("Quick");
		SignalingClient b = this.clients.join("Quick");
		CompletableFuture<Void> aDials = CompletableFuture.runAsync(() -> send(a, dial("from-a", b.number())));
		CompletableFuture<Void> bDials = CompletableFuture.runAsync(() -> send(b, dial("from-b", a.number())));
		CompletableFuture.allOf(aDials, bDials).join();
		JsonNode aConnected = a.awaitCallState("from-a", "IN_CALL");
		JsonNode bConnected = b.awaitCallState("from-b", "IN_CALL");
		assertThat(aConnected.path("offerer").asBoolean()).isNotEqualTo(bConnected.path("offerer").asBoolean());
		assertThat(aConnected.path("otherParty").asString()).isEqualTo(b.number());
		// The connected call carries negotiation under each side's own id.
		String offererId = aConnected.path("offerer").asBoolean() ? "from-a" : "from-b";
		SignalingClient offerer = aConnected.path("offerer").asBoolean() ? a : b;
		SignalingClient answerer = (offerer == a) ? b : a;
		String answererId = (offerer == a) ? "from-b" : "from-a";
		offerer.send(Map.of("type", "sdp", "callId", offererId, "description", Map.of("type", "offer", "sdp", "v=0")));
		answerer.await("sdp", (m) -> answererId.equals(m.path("callId").asString()));
		a.send(onCall("hangup", "from-a"));
		b.awaitCallState("from-b", "COMPLETED");
	}

	private static void send(SignalingClient client, Map<String, ?> message) {
		try {
			client.send(message);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void sessionDescriptionsAndCandidatesReachOnlyTheOtherParty() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		SignalingClient c = this.clients.join("Webphone1");
		connect(a, b, "private");
		a.send(Map.of("type", "sdp", "callId", "private", "description", Map.of("type", "offer", "sdp", "v=0 offer")));
		assertThat(b.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 offer");
		b.send(Map.of("type", "sdp", "callId", "private", "description", Map.of("type", "answer", "sdp", "v=0 answer")));
		assertThat(a.await("sdp").path("description").path("type").asString()).isEqualTo("answer");
		Map<String, Object> candidate = Map.of("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
				"sdpMid", "0", "sdpMLineIndex", 0);
		a.send(Map.of("type", "ice", "callId", "private", "candidate", candidate));
		assertThat(b.await("ice").path("candidate").path("candidate").asString()).contains("typ host");
		c.assertReceivedNo("sdp");
		c.assertReceivedNo("ice");
		// A third client cannot inject into the call by naming its id.
		c.send(Map.of("type", "sdp", "callId", "private", "description", Map.of("type", "offer", "sdp", "evil")));
		assertThat(c.await("error").path("code").asString()).isEqualTo("UNKNOWN_CALL");
		b.assertReceivedNo("sdp", (m) -> "evil".equals(m.path("description").path("sdp").asString()));
	}

	@Test
	void negotiationBeforeTheCallIsAnsweredIsRefused() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		a.send(dial("early", b.number()));
		b.await("incoming");
		a.send(Map.of("type", "sdp", "callId", "early", "description", Map.of("type", "offer", "sdp", "v=0")));
		JsonNode error = a.await("error");
		assertThat(error.path("code").asString()).isEqualTo("INVALID_STATE");
		assertThat(error.path("callId").asString()).isEqualTo("early");
	}

	@Test
	void malformedMessagesGetAClearErrorAndTheConnectionStaysUp() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		connect(a, b, "healthy");
		Map<String, String> expectations = Map.of("not json", "Not a valid message",
				"{\"no\":\"type\"}", "Not a valid message", "{\"type\":\"fly\"}", "Not a valid message",
				"{\"type\":\"dial\",\"callId\":\"has spaces\",\"to\":\"1\"}", "callId must be",
				"{\"type\":\"connect\",\"line\":\"Webphone1\"}", "Already connected",
				"{\"type\":\"sdp\",\"callId\":\"healthy\",\"description\":{\"type\":\"bogus\",\"sdp\":\"\"}}",
				"description.type", "{\"type\":\"ice\",\"callId\":\"healthy\",\"candidate\":{\"sdpMLineIndex\":-4}}",
				"out of range", "[1,2,3]", "Not a valid message");
		for (Map.Entry<String, String> expectation : expectations.entrySet()) {
			a.sendRaw(expectation.getKey());
			assertThat(a.await("error").path("message").asString()).as(expectation.getKey())
				.contains(expectation.getValue());
		}
		a.session().sendMessage(new org.springframework.web.socket.BinaryMessage(new byte[] { 1, 2, 3 }));
		assertThat(a.await("error").path("message").asString()).contains("Binary");
		// The call survived all of it.
		a.send(Map.of("type", "sdp", "callId", "healthy", "description", Map.of("type", "offer", "sdp", "v=0")));
		b.await("sdp");
	}

	@Test
	void propertiesMustBeSmallAndFlat() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "Webphone1", "properties", Map.of("nested", Map.of("a", 1))));
		assertThat(client.await("error").path("message").asString()).contains("string, number or boolean");
		client.send(Map.of("type", "connect", "line", "Webphone1", "properties", Map.of("nickname", "x".repeat(300))));
		assertThat(client.await("error").path("message").asString()).contains("longer than");
		client.send(Map.of("type", "connect", "line", "Webphone1"));
		client.await("access-granted");
	}

	@Test
	void messagesBeforeConnectAreRefused() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(dial("early", "1001"));
		assertThat(client.await("error").path("code").asString()).isEqualTo("NOT_CONNECTED");
	}

	@Test
	void aFrameOverTheSizeLimitClosesOnlyThatConnection() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		connect(a, b, "survives");
		SignalingClient flooder = this.clients.join("Webphone1");
		flooder.sendRaw("{\"type\":\"hangup\",\"callId\":\"x\",\"reason\":\"" + "x".repeat(70_000) + "\"}");
		assertThat(flooder.awaitClosed().getCode()).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
		a.send(Map.of("type", "sdp", "callId", "survives", "description", Map.of("type", "offer", "sdp", "v=0")));
		b.await("sdp");
	}

	@Test
	void aTextFrameThatIsNotUtf8ClosesOnlyThatConnection() throws Exception {
		SignalingClient a = this.clients.join("Webphone1");
		SignalingClient b = this.clients.join("Webphone1");
		connect(a, b, "survives-bad-utf8");
		try (StalledBrowser garbler = new StalledBrowser(this.port)) {
			garbler.send("{\"type\":\"connect\",\"line\":\"Webphone1\"}");
			// A lone continuation byte, then a surrogate encoded as UTF-8 (which Java's decoder would replace).
			byte[] prefix = "{\"type\":\"hangup\",\"callId\":\"x\",\"reason\":\"".getBytes(StandardCharsets.UTF_8);
			byte[] frame = Arrays.copyOf(prefix, prefix.length + 5);
			System.arraycopy(new byte[] { (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' }, 0, frame,
					prefix.length, 5);
			garbler.sendFrame(true, 1, frame);
			assertThat(closeCode(garbler)).isEqualTo(CloseStatus.BAD_DATA.getCode());
		}
		a.send(Map.of("type", "sdp", "callId", "survives-bad-utf8", "description", Map.of("type", "offer", "sdp", "v=0")));
		b.await("sdp");
	}

	@Test
	void aMessageInFragmentsIsReadWholeAndItsSizeLimitHoldsAcrossThem() throws Exception {
		try (StalledBrowser fragments = new StalledBrowser(this.port)) {
			byte[] connect = "{\"type\":\"connect\",\"line\":\"Webphone1\",\"properties\":{\"n\":\"\u00e9\u20ac\"}}"
				.getBytes(StandardCharsets.UTF_8);
			// Split inside the two-byte é, so that no fragment is UTF-8 on its own.
			int split = indexOf(connect, (byte) 0xC3) + 1;
			fragments.sendFrame(false, 1, Arrays.copyOfRange(connect, 0, split));
			fragments.sendFrame(false, 0, Arrays.copyOfRange(connect, split, split + 3));
			fragments.sendFrame(true, 0, Arrays.copyOfRange(connect, split + 3, connect.length));
			assertThat(fragments.receive()).contains("\"access-granted\"");
			fragments.sendFrame(true, 9, "still there?".getBytes(StandardCharsets.UTF_8));
			assertThat(new String(nextFrame(fragments, 10), 1, 12, StandardCharsets.UTF_8)).isEqualTo("still there?");
			byte[] half = ("{\"type\":\"hangup\",\"callId\":\"x\",\"reason\":\"" + "x".repeat(40_000))
				.getBytes(StandardCharsets.UTF_8);
			fragments.sendFrame(false, 1, half);
			fragments.sendFrame(true, 0, ("x".repeat(40_000) + "\"}").getBytes(StandardCharsets.UTF_8));
			assertThat(closeCode(fragments)).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
		}
	}

	private static int indexOf(byte[] bytes, byte b) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == b) {
				return i;
			}
		}
		throw new IllegalArgumentException("no " + b);
	}

	/** The next frame with this opcode, passing over others (the server's messages and pings). */
	private static byte[] nextFrame(StalledBrowser browser, int opcode) throws Exception {
		while (true) {
			byte[] frame = browser.receiveFrame();
			if (frame[0] == opcode) {
				return frame;
			}
		}
	}

	private static int closeCode(StalledBrowser browser) throws Exception {
		byte[] close = nextFrame(browser, 8);
		return ((close[1] & 0xff) << 8) | (close[2] & 0xff);
	}

	@Test
	void aFloodOfMessagesIsRateLimited() throws Exception {
		SignalingClient client = this.clients.join("Webphone1");
		for (int i = 0; i < 300; i++) {
			client.sendRaw("{\"type\":\"hangup\",\"callId\":\"none\"}");
		}
		assertThat(client.await("error").path("code").asString()).isEqualTo("RATE_LIMITED");
		assertThat(client.isOpen()).isTrue();
	}

	@Test
	void compressionIsNotNegotiatedEvenWhenOffered() throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
		SignalingClient client = SignalingClient.open(URI.create("ws://localhost:" + this.port + "/webphone/ws"),
				headers);
		this.clients.add(client);
		assertThat(client.session().getExtensions()).isEmpty();
	}

	@Test
	void pagesFromAnAllowedOriginMayConnectOthersMayNot() throws Exception {
		WebSocketHttpHeaders allowed = new WebSocketHttpHeaders();
		allowed.setOrigin("http://pages.example:8080");
		SignalingClient client = SignalingClient.open(URI.create("ws://localhost:" + this.port + "/webphone/ws"),
				allowed);
		this.clients.add(client);
		assertThat(client.isOpen()).isTrue();
		WebSocketHttpHeaders refused = new WebSocketHttpHeaders();
		refused.setOrigin("http://elsewhere.example");
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> SignalingClient
			.open(URI.create("ws://localhost:" + this.port + "/webphone/ws"), refused));
	}

}
