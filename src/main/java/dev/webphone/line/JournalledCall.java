package dev.webphone.line;

/**
 * A call as a {@link LineJournal} records it: enough for a {@link Switchboard} that never saw it to
 * {@link Switchboard#restore(JournalledCall, Client, Client) restore} it between its restored parties.
 *
 * @param line the line of both parties
 * @param caller the number of the party that called
 * @param callee the number of the party that was called
 * @param dialled the number the caller dialled, as it is told it (after the dial plan)
 * @param callerLeg the caller's id of the call
 * @param calleeLeg the callee's id of the call (another after a simultaneous dial)
 * @param state {@link CallState#RINGING}, {@link CallState#IN_CALL} or {@link CallState#HOLD}
 * @param type audio or video
 */
public record JournalledCall(String line, String caller, String callee, String dialled, String callerLeg,
		String calleeLeg, CallState state, CallType type) {

	public JournalledCall {
		if (state == null || state.isFinal()) {
			throw new IllegalArgumentException("Only a live call is recorded: " + state);
		}
	}

	/** The call's key: a caller is in one call at a time, and knows it by one id. */
	public String key() {
		return key(this.line, this.caller, this.callerLeg);
	}

	static String key(String line, String caller, String callerLeg) {
		return line + "/" + caller + "/" + callerLeg;
	}

	static JournalledCall of(Call call) {
		return new JournalledCall(call.caller().lineName(), call.caller().number(), call.callee().number(),
				call.otherNumber(Call.Role.CALLER), call.legId(Call.Role.CALLER), call.legId(Call.Role.CALLEE),
				call.state(), call.type());
	}

}
