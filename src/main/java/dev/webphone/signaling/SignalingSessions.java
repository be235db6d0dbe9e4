package dev.webphone.signaling;

import java.util.List;
import java.util.function.BooleanSupplier;

import dev.webphone.access.CallAttemptLimit;
import dev.webphone.access.LimitsProperties;
import dev.webphone.access.LineAdmission;
import dev.webphone.edge.BrowserSocket;
import dev.webphone.ice.IceProperties;
import dev.webphone.line.JournalledCall;
import dev.webphone.line.LineJournal;
import dev.webphone.line.Switchboard;
import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.stereotype.Component;

/**
 * Opens a {@link SignalingSession} for each browser connection, wherever its socket is: at this
 * instance's edge, or in a cluster at another instance's.
 */
@Component
@ConditionalOnEmbeddedLine
public class SignalingSessions {

	private final SignalingCodec codec;

	private final Switchboard switchboard;

	private final SignalingProperties properties;

	private final SignalingMetrics metrics;

	private final String iceTransportPolicy;

	private final LineAdmission admission;

	private final LimitsProperties limits;

	private final SessionResumption resumption;

	SignalingSessions(SignalingCodec codec, Switchboard switchboard, SignalingProperties properties,
			SignalingMetrics metrics, IceProperties ice, LineAdmission admission, LimitsProperties limits,
			SessionResumption resumption) {
		this.codec = codec;
		this.switchboard = switchboard;
		this.properties = properties;
		this.metrics = metrics;
		this.iceTransportPolicy = ice.transportPolicy().value();
		this.admission = admission;
		this.limits = limits;
		this.resumption = resumption;
	}

	/**
	 * Takes up the clients and calls of a line another process served, each client as one whose
	 * connection was just lost; see {@code docs/scale-out.md}.
	 * @param carryOn asked before each client: {@code false} stops the restore where it is
	 * @return how many clients were restored
	 */
	public int restore(List<LineJournal.Session> sessions, List<JournalledCall> calls, BooleanSupplier carryOn) {
		return this.resumption.restore(sessions, calls, carryOn);
	}

	/** Lets every client go at once, without a word: the line is served elsewhere now. */
	public void forgetAll() {
		this.resumption.forgetAll();
	}

	/** A session for a browser that has just connected through {@code socket}. */
	public SignalingSession open(BrowserSocket socket) {
		return new SignalingSession(socket, this.codec, this.switchboard,
				new RateLimit(this.properties.rateBurst(), this.properties.ratePerSecond()), this.metrics,
				this.iceTransportPolicy, this.admission, new CallAttemptLimit(this.limits.callAttemptsPerMinute()),
				this.resumption);
	}

}
