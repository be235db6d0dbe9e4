package dev.webphone.signaling;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line 'Office' of the shared test lines: extensions claimed with a password, and a dial plan
 * that rewrites, refuses and routes numbers. Same server configuration as
 * {@link SignalingIntegrationTests}, so the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:signaling-lines.properties")
class DialPlanAndExtensionsIntegrationTests {

	private static final String OFFICE = "Office";

	@RegisterExtension
	final OpenClients clients = new OpenClients();

	@Test
	void anExtensionJoinsWithItsFixedNumberAndIsCalledByIt() throws Exception {
		SignalingClient reception = extension("200", "reception-200");
		assertThat(reception.number()).isEqualTo("200");
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "to-reception", "to", "200"));
		reception.await("incoming");
		assertThat(caller.awaitCallState("to-reception", "RINGING")).isNotNull();
	}

	@Test
	void aWrongPasswordAndAnUnknownExtensionGetTheSameRefusal() throws Exception {
		String wrong = deniedReason(Map.of("type", "connect", "line", OFFICE, "extension", "201", "password", "guess"));
		String unknown = deniedReason(Map.of("type", "connect", "line", OFFICE, "extension", "299", "password", "guess"));
		assertThat(wrong).isEqualTo("Wrong extension number or password").isEqualTo(unknown);
	}

	@Test
	void aSecondConnectionOfAnOnlineExtensionIsRefusedAndTheFirstKeepsIt() throws Exception {
		SignalingClient first = extension("201", "sales-201");
		String second = deniedReason(
				Map.of("type", "connect", "line", OFFICE, "extension", "201", "password", "sales-201"));
		assertThat(second).contains("201").contains("already in use");
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "still-first", "to", "201"));
		assertThat(first.await("incoming").path("callId").asString()).isEqualTo("still-first");
	}

	@Test
	void aCallToAnExtensionWhoseBrowserIsOfflineIsNotFound() throws Exception {
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "nobody-there", "to", "1001"));
		assertThat(caller.awaitCallState("nobody-there", "NOT_FOUND")).isNotNull();
	}

	@Test
	void theLineNeverHandsOutAnExtensionsNumber() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(this.clients.join(OFFICE).number()).isNotIn("200", "201", "202", "1001");
		}
	}

	@Test
	void wrongPasswordsLockAnExtensionEvenAgainstTheRightOne() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(deniedReason(Map.of("type", "connect", "line", OFFICE, "extension", "202", "password", "guess" + i)))
				.isEqualTo("Wrong extension number or password");
		}
		assertThat(deniedReason(Map.of("type", "connect", "line", OFFICE, "extension", "202", "password", "locked-202")))
			.contains("Too many wrong passwords");
	}

	@Test
	void theDialPlanRewritesANumberByItsGroups() throws Exception {
		SignalingClient reception = extension("200", "reception-200");
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "outside-prefix", "to", "0200"));
		assertThat(reception.await("incoming").path("callId").asString()).isEqualTo("outside-prefix");
		assertThat(caller.awaitCallState("outside-prefix", "RINGING").path("otherParty").asString()).isEqualTo("200");
	}

	@Test
	void aRuleWithoutDestinationRefusesTheNumber() throws Exception {
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "premium", "to", "90900"));
		assertThat(caller.awaitCallState("premium", "NOT_FOUND").path("reason").asString()).contains("nowhere");
	}

	@Test
	void aRuleRoutesOneNumberToAnotherAndNoNumberGoesToTheDefaultRoute() throws Exception {
		SignalingClient sales = extension("201", "sales-201");
		SignalingClient reception = extension("200", "reception-200");
		SignalingClient caller = this.clients.join(OFFICE);
		caller.send(Map.of("type", "dial", "callId", "info-line", "to", "100"));
		assertThat(sales.await("incoming").path("callId").asString()).isEqualTo("info-line");
		caller.send(Map.of("type", "hangup", "callId", "info-line"));
		caller.awaitCallState("info-line", "COMPLETED");
		caller.send(Map.of("type", "dial", "callId", "no-number", "to", ""));
		assertThat(reception.await("incoming").path("callId").asString()).isEqualTo("no-number");
	}

	@Test
	void aPasswordWithoutAnExtensionIsMalformed() throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", OFFICE, "password", "reception-200"));
		assertThat(client.await("error").path("code").asString()).isEqualTo("MALFORMED");
	}

	private SignalingClient extension(String number, String password) throws Exception {
		SignalingClient client = this.clients.open();
		client.send(Map.of("type", "connect", "line", OFFICE, "extension", number, "password", password));
		client.await("access-granted");
		return client;
	}

	private String deniedReason(Map<String, ?> connect) throws Exception {
		SignalingClient client = this.clients.open();
		client.send(connect);
		return client.await("access-denied").path("reason").asString();
	}

}
