package dev.webphone.signaling;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import static dev.webphone.signaling.ResumeIntegrationTests.LINE;
import static dev.webphone.signaling.ResumeIntegrationTests.connect;
import static dev.webphone.signaling.ResumeIntegrationTests.offer;
import static dev.webphone.signaling.ResumeIntegrationTests.resume;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resume racing the end of the grace period: real connections, many repetitions with delays drawn
 * from a seeded {@link Random} around the expiry; the seed is in every failure message, and
 * {@code -Dresume.seed=...} replays a run. (Two resumes racing each other are in
 * {@link ResumeIntegrationTests}, whose grace period leaves them time.)
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "webphone.signaling.resume-grace=250ms")
class ResumeRaceIntegrationTests {

	private static final long SEED = Long.getLong("resume.seed", System.nanoTime());

	private final Random random = new Random(SEED);

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Autowired
	ApplicationContext context;

	@Test
	void aResumeRacingTheGraceExpiryEitherResumesFullyOrIsRefusedCleanly() throws Exception {
		int resumed = 0;
		int refused = 0;
		for (int round = 0; round < 30; round++) {
			String callId = "race-" + round;
			SignalingClient ann = this.clients.join(LINE);
			SignalingClient bob = this.clients.join(LINE);
			connect(ann, bob, callId);
			SignalingConnections.cut(this.context, LINE, ann.number());
			ann.awaitClosed();
			LockSupport.parkNanos(Duration.ofMillis(150 + this.random.nextInt(200)).toNanos());

			SignalingClient back = this.clients.open();
			back.send(resume(ann.resumeSecret()));
			JsonNode answer = back.awaitOneOf("resumed", "resume-refused");
			String context = "round " + round + ", seed " + SEED + ": " + answer;
			if ("resumed".equals(answer.path("type").asString())) {
				resumed++;
				assertThat(answer.path("phoneNumber").asString()).as(context).isEqualTo(ann.number());
				assertThat(answer.path("call").path("state").asString()).as(context).isEqualTo("IN_CALL");
				back.send(offer(callId));
				assertThat(bob.await("sdp").path("callId").asString()).as(context).isEqualTo(callId);
				LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
				bob.assertReceivedNo("call-state", (m) -> !"IN_CALL".equals(m.path("state").asString()));
				bob.send(Map.of("type", "hangup", "callId", callId));
				bob.awaitCallState(callId, "COMPLETED");
				bob.send(Map.of("type", "dial", "callId", callId + "-after", "to", ann.number()));
				assertThat(bob.awaitOneOf("call-state").path("state").asString()).as(context + ": reachable again")
					.isEqualTo("RINGING");
			}
			else {
				refused++;
				assertThat(bob.awaitCallState(callId, "COMPLETED").path("reason").asString()).as(context)
					.isEqualTo(SessionResumption.NOT_BACK);
				bob.send(Map.of("type", "dial", "callId", callId + "-after", "to", ann.number()));
				bob.awaitCallState(callId + "-after", "NOT_FOUND");
				back.send(Map.of("type", "connect", "line", LINE));
				assertThat(back.await("access-granted").path("phoneNumber").asString()).as(context)
					.isNotEqualTo(ann.number());
			}
			this.clients.closeAll();
		}
		System.out.printf("resume racing expiry (seed %d): %d resumed, %d refused%n", SEED, resumed, refused);
		assertThat(resumed).as("resumes that won, seed " + SEED).isPositive();
		assertThat(refused).as("resumes that lost, seed " + SEED).isPositive();
	}

}
