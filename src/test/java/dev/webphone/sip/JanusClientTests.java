package dev.webphone.sip;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Janus client against a real Janus: sessions are created, kept alive past Janus's session
 * time-out, counted and destroyed; a Janus that dies is noticed by the sessions it had.
 */
class JanusClientTests {

	/** Janus drops a session silent this long; the client keeps its sessions alive well within it. */
	private static final int SESSION_TIMEOUT_SECONDS = 3;

	private NetworkNamespace namespace;

	private JanusServer janus;

	private JanusClient client;

	@BeforeEach
	void startJanus() {
		SipLab.requireInstalled();
		this.namespace = NetworkNamespace.create();
		try {
			this.janus = JanusServer.start(this.namespace, SESSION_TIMEOUT_SECONDS);
		}
		catch (RuntimeException ex) {
			this.namespace.close();
			throw ex;
		}
		this.client = new JanusClient(this.janus.url(), "", Duration.ofSeconds(3), Duration.ofSeconds(1));
	}

	@AfterEach
	void stopJanus() {
		if (this.client != null) {
			this.client.close();
		}
		try {
			if (this.janus != null) {
				this.janus.close();
			}
		}
		finally {
			if (this.namespace != null) {
				this.namespace.close();
			}
		}
	}

	@Test
	void infoNamesTheSipPlugin() {
		JsonNode info = this.client.info().join();
		assertThat(info.path("plugins").has("janus.plugin.sip")).isTrue();
	}

	@Test
	void aSessionOutlivesJanusSessionTimeoutAndIsGoneOnceClosed() throws Exception {
		List<JanusEvent> events = new CopyOnWriteArrayList<>();
		JanusSession session = this.client.createSession(events::add).get(5, TimeUnit.SECONDS);
		JanusHandle handle = session.attach("janus.plugin.sip").get(5, TimeUnit.SECONDS);
		assertThat(this.client.sessionCount()).isEqualTo(1);

		// Three time-outs' worth of silence from the application: the keep-alives hold the session.
		Thread.sleep(TimeUnit.SECONDS.toMillis(3L * SESSION_TIMEOUT_SECONDS));
		assertThat(session.isClosed()).isFalse();
		assertThat(events).extracting(JanusEvent::type).doesNotContain("timeout", JanusEvent.LOST);
		// The plugin still knows the handle: it takes an identity without a REGISTER, and refuses a call
		// without an offer (Janus's SIP plugin sends no offerless INVITE).
		handle.message(JanusHandle.body("register").put("username", "sip:webphone@" + this.namespace.address())
			.put("type", "guest"), null).join();
		handle.message(JanusHandle.body("call").put("uri", "sip:nobody@" + this.namespace.address()), null).join();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events).extracting((event) -> event.data().path("error_code").asInt())
				.as("%s", events)
				.contains(448));

		assertThat(this.janus.sessionCount()).isEqualTo(1);
		long id = session.id();
		session.close();
		session.close();
		assertThat(this.client.sessionCount()).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.janus.sessionCount() == 0);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
				() -> this.client.post(this.client.url(id), this.client.request("keepalive")).join())
			.hasCauseInstanceOf(JanusException.class)
			.hasMessageContaining("458"));
	}

	@Test
	void aSessionOfAJanusThatDiesIsLostAndNotCountedAnyMore() throws Exception {
		List<JanusEvent> events = new CopyOnWriteArrayList<>();
		JanusSession session = this.client.createSession(events::add).get(5, TimeUnit.SECONDS);
		this.janus.kill();
		await().atMost(Duration.ofSeconds(40)).until(session::isClosed);
		assertThat(events).extracting(JanusEvent::type).containsExactly(JanusEvent.LOST);
		assertThat(this.client.sessionCount()).isZero();
		assertThatThrownBy(() -> this.client.createSession((event) -> {
		}).join()).isInstanceOf(CompletionException.class)
			.hasCauseInstanceOf(JanusException.class)
			.hasMessageContaining("did not answer");
	}

}
