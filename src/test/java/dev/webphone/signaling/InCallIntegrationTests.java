package dev.webphone.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens during a connected call, over real WebSocket connections: holding and taking off hold
 * by either party, negotiation while held, chat messages and DTMF between the parties, and what is
 * refused, with the error a page can show.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
class InCallIntegrationTests {

	private static final String LINE = "Webphone1";

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Autowired
	ApplicationContext context;

	private static Map<String, String> onCall(String type, String callId) {
		return Map.of("type", type, "callId", callId);
	}

	private static Map<String, String> text(String callId, String text) {
		return Map.of("type", "message", "callId", callId, "text", text);
	}

	private static Map<String, String> dtmf(String callId, String digits) {
		return Map.of("type", "dtmf", "callId", callId, "digits", digits);
	}

	/** Sets up a connected call from {@code a} to {@code b} with id {@code callId}. */
	private static void connect(SignalingClient a, SignalingClient b, String callId) throws Exception {
		a.send(Map.of("type", "dial", "callId", callId, "to", b.number()));
		a.awaitCallState(callId, "RINGING");
		b.await("incoming", (m) -> callId.equals(m.path("callId").asString()));
		b.send(onCall("accept", callId));
		a.awaitCallState(callId, "IN_CALL");
		b.awaitCallState(callId, "IN_CALL");
	}

	private static JsonNode awaitError(SignalingClient client, String code) throws InterruptedException {
		JsonNode error = client.await("error");
		assertThat(error.path("code").asString()).as("error %s", error).isEqualTo(code);
		return error;
	}

	@Test
	void eitherPartyHoldsEitherTakesOffHoldAndBothAreTold() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "h");

		bob.send(onCall("hold", "h"));
		JsonNode annHeld = ann.awaitCallState("h", "HOLD");
		assertThat(annHeld.path("otherParty").asString()).isEqualTo(bob.number());
		bob.awaitCallState("h", "HOLD");

		// Ann takes off hold a call Bob held.
		ann.send(onCall("unhold", "h"));
		JsonNode annBack = ann.awaitCallState("h", "IN_CALL");
		JsonNode bobBack = bob.awaitCallState("h", "IN_CALL");
		assertThat(annBack.has("offerer")).as("the roles came with the answer").isFalse();
		assertThat(bobBack.has("offerer")).isFalse();

		ann.send(onCall("hold", "h"));
		bob.awaitCallState("h", "HOLD");
		ann.awaitCallState("h", "HOLD");
		ann.send(onCall("hangup", "h"));
		bob.awaitCallState("h", "COMPLETED");
		ann.awaitCallState("h", "COMPLETED");
	}

	@Test
	void negotiationIsRelayedWhileHeld() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "renegotiated");
		ann.send(onCall("hold", "renegotiated"));
		bob.awaitCallState("renegotiated", "HOLD");

		bob.send(Map.of("type", "sdp", "callId", "renegotiated", "description", Map.of("type", "offer", "sdp", "v=0 held")));
		assertThat(ann.await("sdp").path("description").path("sdp").asString()).isEqualTo("v=0 held");
		ann.send(Map.of("type", "ice", "callId", "renegotiated", "candidate", Map.of("candidate", "candidate:held")));
		assertThat(bob.await("ice").path("candidate").path("candidate").asString()).isEqualTo("candidate:held");
	}

	@Test
	void holdingACallThatIsNotConnectedOrAlreadyHeldIsRefusedAndTheCallGoesOn() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		ann.send(Map.of("type", "dial", "callId", "early", "to", bob.number()));
		bob.await("incoming");
		ann.send(onCall("hold", "early"));
		assertThat(awaitError(ann, "INVALID_STATE").path("callId").asString()).isEqualTo("early");
		bob.send(onCall("accept", "early"));
		ann.awaitCallState("early", "IN_CALL");

		ann.send(onCall("unhold", "early"));
		awaitError(ann, "INVALID_STATE");
		ann.send(onCall("hold", "early"));
		bob.awaitCallState("early", "HOLD");
		bob.send(onCall("hold", "early"));
		awaitError(bob, "INVALID_STATE");
		bob.send(onCall("hold", "nobodys"));
		awaitError(bob, "UNKNOWN_CALL");
		bob.assertReceivedNo("call-state", (m) -> !"early".equals(m.path("callId").asString()));
		ann.assertReceivedNo("call-state", (m) -> "COMPLETED".equals(m.path("state").asString()));
	}

	@Test
	void messagesAndDtmfReachTheOtherPartyInOrderWhileInCallAndHeld() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		SignalingClient eve = this.clients.join(LINE);
		connect(ann, bob, "chat");

		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sent.add("line " + i + " \u00e9\ud83d\ude00");
			ann.send(text("chat", sent.get(i)));
		}
		ann.send(dtmf("chat", "0123456789*#ABCD"));
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			JsonNode message = bob.await("message");
			assertThat(message.path("callId").asString()).isEqualTo("chat");
			received.add(message.path("text").asString());
		}
		assertThat(received).containsExactlyElementsOf(sent);
		assertThat(bob.await("dtmf").path("digits").asString()).isEqualTo("0123456789*#ABCD");

		bob.send(onCall("hold", "chat"));
		ann.awaitCallState("chat", "HOLD");
		bob.send(text("chat", "still there?"));
		bob.send(dtmf("chat", "5"));
		assertThat(ann.await("message").path("text").asString()).isEqualTo("still there?");
		assertThat(ann.await("dtmf").path("digits").asString()).isEqualTo("5");

		// Nobody else hears any of it, and a third client cannot talk into the call.
		eve.send(text("chat", "intruder"));
		awaitError(eve, "UNKNOWN_CALL");
		eve.assertReceivedNo("message");
		eve.assertReceivedNo("dtmf");
		ann.assertReceivedNo("message", (m) -> "intruder".equals(m.path("text").asString()));
	}

	@Test
	void aSimultaneousDialsMessagesCarryEachReceiversOwnCallId() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		ann.send(Map.of("type", "dial", "callId", "ann-side", "to", bob.number()));
		ann.awaitCallState("ann-side", "RINGING");
		bob.send(Map.of("type", "dial", "callId", "bob-side", "to", ann.number()));
		bob.awaitCallState("bob-side", "IN_CALL");
		ann.awaitCallState("ann-side", "IN_CALL");

		ann.send(text("ann-side", "hi Bob"));
		assertThat(bob.await("message").path("callId").asString()).isEqualTo("bob-side");
		bob.send(dtmf("bob-side", "7"));
		assertThat(ann.await("dtmf").path("callId").asString()).isEqualTo("ann-side");
	}

	@Test
	void messagesOutsideAConnectedCallAreRefusedWithAClearError() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		ann.send(text("none", "hello?"));
		assertThat(awaitError(ann, "UNKNOWN_CALL").path("message").asString()).contains("none");

		ann.send(Map.of("type", "dial", "callId", "ringing", "to", bob.number()));
		bob.await("incoming");
		ann.send(text("ringing", "pick up"));
		assertThat(awaitError(ann, "INVALID_STATE").path("message").asString()).contains("connected call")
			.contains("RINGING");
		bob.send(dtmf("ringing", "1"));
		assertThat(awaitError(bob, "INVALID_STATE").path("callId").asString()).isEqualTo("ringing");
		bob.assertReceivedNo("message");
		ann.assertReceivedNo("dtmf");

		bob.send(onCall("accept", "ringing"));
		ann.awaitCallState("ringing", "IN_CALL");
		ann.send(onCall("hangup", "ringing"));
		bob.awaitCallState("ringing", "COMPLETED");
		bob.send(text("ringing", "bye"));
		awaitError(bob, "UNKNOWN_CALL");
		ann.assertReceivedNo("message");
	}

	@Test
	void malformedMessagesAndDigitsAreRefusedAndTheCallGoesOn() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "strict");

		List<String> refused = List.of("{\"type\":\"message\",\"callId\":\"strict\",\"text\":\"\"}",
				"{\"type\":\"message\",\"callId\":\"strict\",\"text\":\"" + "x".repeat(2001) + "\"}",
				"{\"type\":\"message\",\"callId\":\"strict\",\"text\":7}",
				"{\"type\":\"message\",\"callId\":\"strict\"}",
				"{\"type\":\"message\",\"callId\":\"strict\",\"text\":\"\\ud800\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":\"\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":\"12e\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":\"a\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":\"1,2\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":\"" + "1".repeat(33) + "\"}",
				"{\"type\":\"dtmf\",\"callId\":\"strict\",\"digits\":12}",
				"{\"type\":\"hold\"}", "{\"type\":\"unhold\",\"callId\":\"no spaces\"}");
		for (String frame : refused) {
			ann.sendRaw(frame);
			assertThat(awaitError(ann, "MALFORMED").path("message").asString()).as(frame).isNotBlank();
		}
		ann.send(text("strict", "x".repeat(2000)));
		assertThat(bob.await("message").path("text").asString()).hasSize(2000);
		bob.assertReceivedNo("dtmf");
		bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
	}

	@Test
	void aPartyThatResumesAHeldCallIsToldHoldAndGetsWhatWasSaidMeanwhile() throws Exception {
		SignalingClient ann = this.clients.join(LINE);
		SignalingClient bob = this.clients.join(LINE);
		connect(ann, bob, "held");
		ann.send(onCall("hold", "held"));
		bob.awaitCallState("held", "HOLD");

		SignalingConnections.cut(this.context, LINE, bob.number());
		bob.awaitClosed();
		// From then on what the line tells Bob is held for the resume.
		SignalingConnections.awaitDetached(this.context, LINE, bob.number());
		ann.send(text("held", "are you back?"));
		ann.send(dtmf("held", "9"));
		SignalingClient back = this.clients.open();
		back.send(Map.of("type", "resume", "secret", bob.resumeSecret()));
		assertThat(back.await("message").path("text").asString()).isEqualTo("are you back?");
		assertThat(back.await("dtmf").path("digits").asString()).isEqualTo("9");
		JsonNode resumed = back.await("resumed");
		assertThat(resumed.path("call").path("state").asString()).isEqualTo("HOLD");
		assertThat(resumed.path("call").path("offerer").asBoolean()).isFalse();
		assertThat(ann.await("restart-ice").path("callId").asString()).isEqualTo("held");

		back.send(onCall("unhold", "held"));
		ann.awaitCallState("held", "IN_CALL");
		back.awaitCallState("held", "IN_CALL");
	}

}
