package dev.webphone.signaling;

import java.time.Duration;
import java.util.Objects;

import org.springframework.context.ApplicationContext;
import org.springframework.web.socket.CloseStatus;

import static org.awaitility.Awaitility.await;

/**
 * For tests in other packages: how many browsers an embedded-mode server holds open, and a way to
 * cut one.
 */
public final class SignalingConnections {

	private SignalingConnections() {
	}

	/**
	 * Closes, from the server's side and with status 1012 ("service restart"), the connection that
	 * holds {@code number} on {@code line}: the connection drops, the client may resume.
	 */
	public static void cut(ApplicationContext context, String line, String number) {
		SessionResumption resumption = context.getBean(SessionResumption.class);
		// The page hears access-granted a moment before its session becomes resumable.
		SignalingSession holder = await().atMost(Duration.ofSeconds(5))
			.until(() -> resumption.find(line, number).map(ResumableClient::holder).orElse(null), Objects::nonNull);
		holder.cut(CloseStatus.SERVICE_RESTARTED.getCode(), "cut by the test");
	}

	/**
	 * Waits until the server has seen the connection that held {@code number} on {@code line} go, so
	 * that what the line tells the client from then on is held for its resume.
	 */
	public static void awaitDetached(ApplicationContext context, String line, String number) {
		SessionResumption resumption = context.getBean(SessionResumption.class);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> resumption.find(line, number).map(ResumableClient::state).orElse(null),
					(state) -> state == ResumableClient.State.DETACHED);
	}

	/** The number of open signalling connections of the server in {@code context}. */
	public static int count(ApplicationContext context) {
		return context.getBean(SignalingHandler.class).connectionCount();
	}

}
