package dev.webphone.sip;

import dev.webphone.line.CallState;

/**
 * What a final SIP response to our INVITE means for the browser that dialled: the state its call ends
 * in, and a reason it can show. A SIP phone that is busy is {@link CallState#BUSY} as a browser in
 * another call is; one that does not exist, or cannot be reached now, is {@link CallState#NOT_FOUND};
 * one that declines is {@link CallState#REJECTED}; one nobody picks up is {@link CallState#NOT_ANSWERED}.
 * Any other failure ends the call as {@link CallState#COMPLETED} with the SIP status in the reason.
 *
 * @param state the final state of the caller's call
 * @param reason what the caller is told, naming the SIP status
 */
public record SipResponse(CallState state, String reason) {

	/**
	 * The outcome of a failed INVITE.
	 * @param code the SIP status code, 300 to 699 (a 2xx is an answer, not an end)
	 * @param phrase the reason phrase the other side sent, or {@code null}
	 */
	public static SipResponse ofFailure(int code, String phrase) {
		if (code < 300 || code > 699) {
			throw new IllegalArgumentException("Not a final failure response: " + code);
		}
		String status = code + ((phrase != null && !phrase.isBlank()) ? " " + phrase.strip() : "");
		return switch (code) {
			case 486, 600 -> new SipResponse(CallState.BUSY, "the SIP phone is busy (" + status + ")");
			case 404, 410, 484, 604 -> new SipResponse(CallState.NOT_FOUND, "no such SIP phone (" + status + ")");
			case 480 -> new SipResponse(CallState.NOT_FOUND, "the SIP phone cannot be reached now (" + status + ")");
			case 603, 403 -> new SipResponse(CallState.REJECTED, "the SIP phone declined the call (" + status + ")");
			case 408 -> new SipResponse(CallState.NOT_ANSWERED, "the SIP phone did not answer (" + status + ")");
			// Our own CANCEL: the caller hung up, or the line's ring time-out passed.
			case 487 -> new SipResponse(CallState.COMPLETED, "the call was cancelled (" + status + ")");
			default -> new SipResponse(CallState.COMPLETED, "the SIP call failed (" + status + ")");
		};
	}

}
