package dev.webphone.sip;

import dev.webphone.line.ClientChannel;
import dev.webphone.line.Gateway;
import dev.webphone.line.GatewayParty;

/**
 * The line's way to SIP phones: numbers the {@link SipDialPlan} routes are called through Janus's SIP
 * plugin, each call a {@link SipLeg} with a Janus session of its own.
 */
public final class SipGateway implements Gateway {

	private final JanusClient janus;

	private final SipDialPlan dialPlan;

	public SipGateway(JanusClient janus, SipDialPlan dialPlan) {
		this.janus = janus;
		this.dialPlan = dialPlan;
	}

	@Override
	public boolean reaches(String line, String number) {
		return this.dialPlan.route(line, number).isPresent();
	}

	@Override
	public ClientChannel connect(String line, String number, GatewayParty party) {
		return new SipLeg(this.janus, this.dialPlan.route(line, number).orElseThrow(), party);
	}

}
