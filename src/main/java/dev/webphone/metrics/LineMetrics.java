package dev.webphone.metrics;

import dev.webphone.line.Switchboard;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Connected clients per line, read from the switchboard itself at each scrape, so the gauge cannot
 * drift from who is really connected.
 */
@Component
@ConditionalOnEmbeddedLine
class LineMetrics implements MeterBinder {

	static final String CLIENTS = "webphone.clients";

	private final Switchboard switchboard;

	LineMetrics(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String line : this.switchboard.lineNames()) {
			Gauge.builder(CLIENTS, this.switchboard, (switchboard) -> switchboard.clientCount(line))
				.description("Clients connected to the line")
				.tag("line", line)
				.register(registry);
		}
	}

}
