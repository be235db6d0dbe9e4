package dev.webphone.line;

/**
 * How a phone behind a {@link Gateway} acts on its call, as a browser does through its
 * messages. A request that comes too late (the call is over, the caller hung up meanwhile) is refused
 * to the party's channel, like a browser's, and changes nothing.
 */
public final class GatewayParty {

	private final Switchboard switchboard;

	private volatile Client client;

	GatewayParty(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	void bind(Client client) {
		this.client = client;
	}

	/** The phone answered the call it was called with: both parties hear {@code IN_CALL}. */
	public void answer(String callId) {
		this.switchboard.accept(this.client, callId);
	}

	/**
	 * The phone, or the gateway, turned the ringing call down.
	 * @param outcome what the caller hears: {@code BUSY}, {@code NOT_FOUND}, {@code REJECTED},
	 * {@code NOT_ANSWERED}, or {@code COMPLETED} for any other failure
	 * @param reason why, for the caller's page
	 */
	public void refuse(String callId, CallState outcome, String reason) {
		this.switchboard.refuseAtGateway(this.client, callId, outcome, reason);
	}

	/** The phone hung up, or the gateway lost the call; a ringing call is then turned down. */
	public void hangUp(String callId, String reason) {
		this.switchboard.hangUp(this.client, callId, reason);
	}

	/** The phone's session description or ICE candidate, for the caller's browser. */
	public void signal(String callId, MediaSignal signal) {
		this.switchboard.relay(this.client, callId, signal);
	}

}
