package dev.webphone.line;

/**
 * A way off the line to phones that are not browsers: SIP phones, through a WebRTC-to-SIP gateway.
 * A number the gateway {@link #reaches} is called there instead of on the line: the line rings a
 * party of the gateway's, which hears what a browser callee would through the channel the gateway
 * gives it (the incoming call, the caller's offer and candidates, the end of the call), and answers,
 * turns the call down, sends its answer or hangs up through its {@link GatewayParty}.
 *
 * <p>The caller offers early: a party at a gateway needs the caller's offer before its phone can ring,
 * so the caller is told to make it with {@code RINGING}, and may send it while the call rings.
 */
public interface Gateway {

	/**
	 * Whether a number dialled on a line, after the line's dial plan, is called through this gateway.
	 * @param line the caller's line
	 * @param number the number after the line's dial plan
	 */
	boolean reaches(String line, String number);

	/**
	 * The channel of a party at {@code number}, which the line is about to call: everything the line
	 * tells that party goes there, starting with the incoming call. Opens nothing yet: a dial the line
	 * refuses never tells the channel anything.
	 * @param party how the party answers the line
	 */
	ClientChannel connect(String line, String number, GatewayParty party);

}
