package dev.webphone.sip;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registrar of the incoming-call tests: a Janus SIP handle registers a number at Kamailio, and the
 * phone's call to that number reaches it as an {@code incomingcall} with an offer Janus made for WebRTC.
 */
class KamailioTests {

	@Test
	void aCallToARegisteredNumberReachesTheJanusHandleThatRegisteredIt() throws Exception {
		SipLab.requireInstalled();
		LocalServers.require(Kamailio.isInstalled(), "kamailio - apt-get install -y kamailio");
		try (SipLab lab = SipLab.start(); Kamailio kamailio = Kamailio.start(lab.namespace());
				JanusClient client = new JanusClient(lab.janus().url(), "", Duration.ofSeconds(3),
						Duration.ofSeconds(20))) {
			List<JanusEvent> events = new CopyOnWriteArrayList<>();
			JanusSession session = client.createSession(events::add).get(5, TimeUnit.SECONDS);
			JanusHandle handle = session.attach("janus.plugin.sip").get(5, TimeUnit.SECONDS);
			handle.message(JanusHandle.body("register").put("username", kamailio.uri("1001").replace(":5070", ""))
				.put("proxy", kamailio.uri())
				.put("secret", "unused"), null).join();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(events).extracting(JanusEvent::pluginEvent).as("%s", events)
					.contains("registered"));

			lab.phone().dial(kamailio.uri("1001"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(events).extracting(JanusEvent::pluginEvent).as("%s", events)
					.contains("incomingcall"));
			JanusEvent incoming = events.stream().filter((event) -> event.pluginEvent().equals("incomingcall")).findFirst()
				.orElseThrow();
			assertThat(incoming.jsep().path("type").asString()).isEqualTo("offer");
			assertThat(incoming.jsep().path("sdp").asString()).contains("a=fingerprint", "PCMU");
			assertThat(incoming.data().path("result").path("callee").asString()).contains("1001");
		}
	}

}
