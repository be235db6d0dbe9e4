package dev.webphone.signaling;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forward and blind transfer over real WebSocket connections: who hears what, under which id, that
 * the call that goes on connects and carries media, and that every refusal leaves the call as it was
 * and nobody else disturbed. Same server configuration as {@link SignalingIntegrationTests}, so the
 * two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
class TransferIntegrationTests {

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Test
	void aForwardedCallRingsAtTheTargetUnderTheCallersIdAndConnectsThere() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		ann.send(Map.of("type", "dial", "callId", "fwd", "to", bob.number(), "callType", "VIDEO"));
		ann.awaitCallState("fwd", "RINGING");
		bob.await("incoming");

		bob.send(Map.of("type", "forward", "callId", "fwd", "to", cid.number()));
		JsonNode forwarded = bob.awaitCallState("fwd", "COMPLETED");
		assertThat(forwarded.path("reason").asString()).isEqualTo("forwarded");
		assertThat(forwarded.path("redirect").asString()).isEqualTo("forwarded");
		assertThat(forwarded.path("otherParty").asString()).isEqualTo(ann.number());
		JsonNode ringingThere = redirected(ann, "fwd");
		assertThat(ringingThere.path("otherParty").asString()).isEqualTo(cid.number());
		assertThat(ringingThere.path("redirect").asString()).isEqualTo("forwarded");
		JsonNode incoming = cid.await("incoming");
		assertThat(incoming.path("callId").asString()).isEqualTo("fwd");
		assertThat(incoming.path("from").asString()).isEqualTo(ann.number());
		assertThat(incoming.path("callType").asString()).isEqualTo("VIDEO");

		cid.send(Map.of("type", "accept", "callId", "fwd"));
		assertThat(ann.awaitCallState("fwd", "IN_CALL").path("offerer").asBoolean()).isTrue();
		assertThat(cid.awaitCallState("fwd", "IN_CALL").path("offerer").asBoolean()).isFalse();
		assertMediaFlows(ann, cid, "fwd");
		assertFree(bob);
	}

	@Test
	void theCalleeTransfersTheCallerWhoRingsAtTheTargetWithAFreshNegotiation() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		connect(ann, bob, "xfer");

		bob.send(Map.of("type", "transfer", "callId", "xfer", "to", cid.number()));
		JsonNode transferred = bob.awaitCallState("xfer", "COMPLETED");
		assertThat(transferred.path("reason").asString()).isEqualTo("transferred");
		assertThat(transferred.path("redirect").asString()).isEqualTo("transferred");
		JsonNode ringingThere = redirected(ann, "xfer");
		assertThat(ringingThere.path("otherParty").asString()).isEqualTo(cid.number());
		assertThat(ringingThere.path("redirect").asString()).isEqualTo("transferred");
		assertThat(cid.await("incoming").path("from").asString()).isEqualTo(ann.number());

		// Nothing of the old negotiation reaches the target, and the transferer's call is over.
		bob.send(Map.of("type", "sdp", "callId", "xfer", "description", Map.of("type", "offer", "sdp", "v=0 old")));
		assertThat(bob.await("error").path("code").asString()).isEqualTo("UNKNOWN_CALL");
		ann.send(Map.of("type", "sdp", "callId", "xfer", "description", Map.of("type", "offer", "sdp", "v=0 early")));
		assertThat(ann.await("error").path("code").asString()).isEqualTo("INVALID_STATE");

		cid.send(Map.of("type", "accept", "callId", "xfer"));
		assertThat(ann.awaitCallState("xfer", "IN_CALL").path("offerer").asBoolean()).isTrue();
		cid.awaitCallState("xfer", "IN_CALL");
		assertMediaFlows(ann, cid, "xfer");
		cid.assertReceivedNo("sdp", (m) -> m.path("description").path("sdp").asString().contains("old"));
		assertFree(bob);
	}

	@Test
	void theCallerTransfersTheCalleeWhoNowCallsTheTarget() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		connect(ann, bob, "by-caller");

		ann.send(Map.of("type", "transfer", "callId", "by-caller", "to", cid.number()));
		assertThat(ann.awaitCallState("by-caller", "COMPLETED").path("otherParty").asString()).isEqualTo(bob.number());
		assertThat(redirected(bob, "by-caller").path("otherParty").asString()).isEqualTo(cid.number());
		assertThat(cid.await("incoming").path("from").asString()).isEqualTo(bob.number());
		cid.send(Map.of("type", "accept", "callId", "by-caller"));
		assertThat(bob.awaitCallState("by-caller", "IN_CALL").path("offerer").asBoolean())
			.as("who stays calls the target, and makes the offer")
			.isTrue();
		assertMediaFlows(bob, cid, "by-caller");
		cid.send(Map.of("type", "hangup", "callId", "by-caller"));
		bob.awaitCallState("by-caller", "COMPLETED");
		assertFree(ann);
	}

	@Test
	void aHeldCallIsTransferredAndTheCallThatGoesOnIsNotHeld() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		connect(ann, bob, "held");
		ann.send(Map.of("type", "hold", "callId", "held"));
		bob.awaitCallState("held", "HOLD");
		ann.awaitCallState("held", "HOLD");

		ann.send(Map.of("type", "transfer", "callId", "held", "to", cid.number()));
		assertThat(ann.awaitCallState("held", "COMPLETED").path("redirect").asString()).isEqualTo("transferred");
		assertThat(redirected(bob, "held").path("otherParty").asString()).isEqualTo(cid.number());
		cid.await("incoming");
		cid.send(Map.of("type", "accept", "callId", "held"));
		assertThat(bob.awaitCallState("held", "IN_CALL").path("offerer").asBoolean()).isTrue();
		assertMediaFlows(bob, cid, "held");
		cid.send(Map.of("type", "message", "callId", "held", "text", "hello after the transfer"));
		assertThat(bob.await("message").path("text").asString()).isEqualTo("hello after the transfer");
	}

	@Test
	void aRefusedTransferLeavesTheCallAsItWasAndDisturbsNobody() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient busy = this.clients.join("Webphone1");
		SignalingClient talking = this.clients.join("Webphone1");
		SignalingClient stranger = this.clients.join("Webphone1");
		connect(busy, talking, "elsewhere");
		connect(ann, bob, "stays");

		assertRefused(bob, "transfer", "stays", busy.number(), "BUSY");
		assertRefused(bob, "transfer", "stays", "999999", "NOT_FOUND");
		assertRefused(bob, "transfer", "stays", bob.number(), "INVALID_TARGET");
		assertRefused(bob, "transfer", "stays", ann.number(), "INVALID_TARGET");
		assertRefused(bob, "forward", "stays", stranger.number(), "INVALID_STATE");
		assertRefused(stranger, "transfer", "stays", stranger.number(), "UNKNOWN_CALL");
		assertRefused(stranger, "transfer", "elsewhere", stranger.number(), "UNKNOWN_CALL");

		assertMediaFlows(ann, bob, "stays");
		assertMediaFlows(busy, talking, "elsewhere");
		stranger.assertReceivedNo("incoming");
		for (SignalingClient party : new SignalingClient[] { ann, bob, busy, talking }) {
			party.assertReceivedNo("call-state", (m) -> m.has("redirect")
					|| !List.of("RINGING", "IN_CALL").contains(m.path("state").asString()));
		}
	}

	@Test
	void aRefusedForwardLeavesTheCallRinging() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		ann.send(Map.of("type", "dial", "callId", "ringing", "to", bob.number()));
		bob.await("incoming");

		assertRefused(ann, "forward", "ringing", cid.number(), "INVALID_STATE");
		assertRefused(bob, "transfer", "ringing", cid.number(), "INVALID_STATE");
		assertRefused(bob, "forward", "ringing", "", "NOT_FOUND");

		bob.send(Map.of("type", "accept", "callId", "ringing"));
		ann.awaitCallState("ringing", "IN_CALL");
		cid.assertReceivedNo("incoming");
	}

	@Test
	void theTargetIsFoundThroughTheLinesDialPlan() throws Exception {
		SignalingClient reception = extension("200", "reception-200");
		SignalingClient sales = extension("201", "sales-201");
		SignalingClient ann = this.clients.join("Office");
		SignalingClient bob = this.clients.join("Office");
		ann.send(Map.of("type", "dial", "callId", "office", "to", bob.number()));
		bob.await("incoming");

		assertRefused(bob, "forward", "office", "900", "NOT_FOUND");
		bob.send(Map.of("type", "forward", "callId", "office", "to", "100"));
		assertThat(redirected(ann, "office").path("otherParty").asString()).isEqualTo("201");
		sales.await("incoming");
		sales.send(Map.of("type", "accept", "callId", "office"));
		ann.awaitCallState("office", "IN_CALL");

		// No number: the line's default route.
		sales.send(Map.of("type", "transfer", "callId", "office", "to", ""));
		assertThat(redirected(ann, "office").path("otherParty").asString()).isEqualTo("200");
		assertThat(reception.await("incoming").path("from").asString()).isEqualTo(ann.number());
	}

	@Test
	void aForwardedCallNobodyAnswersTimesOutAtTheTarget() throws Exception {
		SignalingClient ann = this.clients.join("Quick");
		SignalingClient bob = this.clients.join("Quick");
		SignalingClient cid = this.clients.join("Quick");
		ann.send(Map.of("type", "dial", "callId", "quick", "to", bob.number()));
		bob.await("incoming");
		bob.send(Map.of("type", "forward", "callId", "quick", "to", cid.number()));
		cid.await("incoming");
		ann.awaitCallState("quick", "NOT_ANSWERED");
		cid.awaitCallState("quick", "NOT_ANSWERED");
	}

	@Test
	void theTargetLeavingWhileItRingsEndsTheCallForTheOneWhoStayed() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		SignalingClient bob = this.clients.join("Webphone1");
		SignalingClient cid = this.clients.join("Webphone1");
		connect(ann, bob, "left");
		bob.send(Map.of("type", "transfer", "callId", "left", "to", cid.number()));
		cid.await("incoming");
		cid.close();
		ann.awaitCallState("left", "COMPLETED");
	}

	@Test
	void aForwardOrTransferWithoutATargetIsMalformed() throws Exception {
		SignalingClient ann = this.clients.join("Webphone1");
		ann.sendRaw("{\"type\":\"forward\",\"callId\":\"x\"}");
		assertThat(ann.await("error").path("code").asString()).isEqualTo("MALFORMED");
		ann.sendRaw("{\"type\":\"transfer\",\"callId\":\"x\",\"to\":1003}");
		assertThat(ann.await("error").path("code").asString()).isEqualTo("MALFORMED");
	}

	/** Sets up a connected call from {@code a} to {@code b} with id {@code callId}. */
	private static void connect(SignalingClient a, SignalingClient b, String callId) throws Exception {
		a.send(Map.of("type", "dial", "callId", callId, "to", b.number()));
		b.await("incoming", (m) -> callId.equals(m.path("callId").asString()));
		b.send(Map.of("type", "accept", "callId", callId));
		a.awaitCallState(callId, "IN_CALL");
		b.awaitCallState(callId, "IN_CALL");
	}

	/** The next call-state that tells the client its call {@code callId} now rings at another party. */
	private static JsonNode redirected(SignalingClient client, String callId) throws Exception {
		JsonNode message = client.await("call-state",
				(m) -> callId.equals(m.path("callId").asString()) && m.has("redirect"));
		assertThat(message.path("state").asString()).isEqualTo("RINGING");
		return message;
	}

	/** A forward or transfer is answered with an error of {@code code} that names the call. */
	private static void assertRefused(SignalingClient client, String type, String callId, String to, String code)
			throws Exception {
		client.send(Map.of("type", type, "callId", callId, "to", to));
		JsonNode error = client.await("error");
		assertThat(error.path("code").asString()).as("%s of %s to '%s': %s", type, callId, to, error).isEqualTo(code);
		assertThat(error.path("callId").asString()).isEqualTo(callId);
	}

	/** An offer from {@code offerer} and an answer back reach the other side under the call's id. */
	private static void assertMediaFlows(SignalingClient offerer, SignalingClient answerer, String callId)
			throws Exception {
		offerer.send(Map.of("type", "sdp", "callId", callId, "description", Map.of("type", "offer", "sdp", "v=0 offer")));
		assertThat(answerer.await("sdp", (m) -> "v=0 offer".equals(m.path("description").path("sdp").asString()))
			.path("callId")
			.asString()).isEqualTo(callId);
		answerer.send(Map.of("type", "sdp", "callId", callId, "description", Map.of("type", "answer", "sdp", "v=0 answer")));
		offerer.await("sdp", (m) -> "v=0 answer".equals(m.path("description").path("sdp").asString()));
	}

	/** The client is in no call: a new dial to it rings. */
	private void assertFree(SignalingClient client) throws Exception {
		SignalingClient caller = this.clients.join(client.lineName());
		caller.send(Map.of("type", "dial", "callId", "is-free", "to", client.number()));
		caller.awaitCallState("is-free", "RINGING");
		client.await("incoming", (m) -> "is-free".equals(m.path("callId").asString()));
	}

	private SignalingClient extension(String number, String password) throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", "Office", "extension", number, "password", password));
		client.await("access-granted");
		return client;
	}

}
