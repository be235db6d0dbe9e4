package dev.webphone.signaling;

import java.util.Locale;

import org.springframework.web.socket.CloseStatus;

/**
 * Why a browser's connection ended, as far as its number and call are concerned; see the table in
 * {@code docs/protocol.md} ("Resume").
 */
enum CloseCause {

	/** The page said goodbye ({@code disconnect()}, status 1000): the client leaves its line. */
	CLEAN,

	/**
	 * The page went away (status 1001: tab closed, reloaded or navigated): its call ends now, since
	 * nothing can play it any more, but the number waits for a reload to resume it.
	 */
	PAGE_GONE,

	/**
	 * The connection was silent for the idle time-out (a dead peer): its call ends now, the number
	 * waits for the grace period.
	 */
	SILENT,

	/**
	 * The connection broke without a goodbye (no close frame, or the server cut it): the call waits
	 * for the client to come back for the idle time-out, the number for the grace period.
	 */
	DROPPED;

	/**
	 * @param fellBehind whether the server cut the connection for not reading: such a browser is let go
	 * as if it had said goodbye, since what it missed cannot be held for it without bound
	 * @param timedOut whether the server closed the connection for being silent
	 */
	static CloseCause of(CloseStatus status, boolean fellBehind, boolean timedOut) {
		if (fellBehind) {
			return CLEAN;
		}
		if (timedOut) {
			return SILENT;
		}
		int code = status.getCode();
		if (code == CloseStatus.NORMAL.getCode() || code == CloseStatus.POLICY_VIOLATION.getCode()) {
			return CLEAN;
		}
		if (code == CloseStatus.GOING_AWAY.getCode()) {
			// Jetty reports its own idle time-out with this code too; only its reason tells them apart.
			String reason = (status.getReason() != null) ? status.getReason().toLowerCase(Locale.ROOT) : "";
			return (reason.contains("idle") || reason.contains("timeout")) ? SILENT : PAGE_GONE;
		}
		return DROPPED;
	}

}
