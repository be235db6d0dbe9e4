package dev.webphone.sip;

import dev.webphone.line.Switchboard;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SIP calls, when {@code webphone.sip.janus-url} is set: the Janus client, the gateway the line calls
 * SIP numbers through, the registrations that let phones call browsers, the health contributor
 * {@code sip}, and the count of open Janus sessions
 * ({@code webphone.sip.janus.sessions}), which goes back to zero when no SIP call is up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddedLine
@ConditionalOnExpression("!'${webphone.sip.janus-url:}'.isBlank()")
class SipConfiguration {

	@Bean(destroyMethod = "close")
	JanusClient janusClient(SipProperties properties) {
		return new JanusClient(properties.janusUrl(), properties.apiSecret(), properties.requestTimeout(),
				properties.keepAlive());
	}

	@Bean
	SipGateway sipGateway(JanusClient janus, SipProperties properties) {
		return new SipGateway(janus, new SipDialPlan(properties.routes()));
	}

	@Bean
	SipRegistrations sipRegistrations(JanusClient janus, Switchboard switchboard, SipProperties properties) {
		return new SipRegistrations(janus, switchboard, properties.registrations());
	}

	@Bean
	SipHealthIndicator sipHealthIndicator(JanusClient janus, SipRegistrations registrations,
			SipProperties properties) {
		return new SipHealthIndicator(janus, registrations, properties.requestTimeout().toMillis());
	}

	@Bean
	MeterBinder janusSessionsMeter(JanusClient janus) {
		return (registry) -> Gauge.builder("webphone.sip.janus.sessions", janus, JanusClient::sessionCount)
			.description("Janus sessions open: one per SIP call being set up or in progress, one per registration")
			.register(registry);
	}

}
