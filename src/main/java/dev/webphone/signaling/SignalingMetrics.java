package dev.webphone.signaling;

import java.util.EnumMap;
import java.util.Map;

import dev.webphone.system.ConditionalOnEmbeddedLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts signalling messages in and out and the errors sent back. On the path of every message, so
 * the counters are looked up once, here, and never by tag per message.
 */
@Component
@ConditionalOnEmbeddedLine
class SignalingMetrics {

	static final String MESSAGES = "webphone.signaling.messages";

	static final String ERRORS = "webphone.signaling.errors";

	private final Counter received;

	private final Counter sent;

	private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

	SignalingMetrics(MeterRegistry registry) {
		this.received = messages(registry, "in");
		this.sent = messages(registry, "out");
		for (ErrorCode code : ErrorCode.values()) {
			this.errors.put(code, Counter.builder(ERRORS)
				.description("Browser messages refused with an error reply, by error code")
				.tag("code", code.name())
				.register(registry));
		}
	}

	private static Counter messages(MeterRegistry registry, String direction) {
		return Counter.builder(MESSAGES)
			.description("Signalling messages; in: frames from browsers, out: messages to browsers")
			.tag("direction", direction)
			.register(registry);
	}

	/** A frame arrived from a browser, valid or not. */
	void received() {
		this.received.increment();
	}

	/** A message went to a browser. */
	void sent() {
		this.sent.increment();
	}

	/** A browser's message was refused with {@code code}. */
	void error(ErrorCode code) {
		this.errors.get(code).increment();
	}

}
