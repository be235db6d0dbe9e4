package dev.webphone.signaling;

import org.springframework.context.ApplicationContext;

/**
 * For tests in other packages: how many browsers an embedded-mode server holds open.
 */
public final class SignalingConnections {

	private SignalingConnections() {
	}

	/** The number of open signalling connections of the server in {@code context}. */
	public static int count(ApplicationContext context) {
		return context.getBean(SignalingHandler.class).connectionCount();
	}

}
