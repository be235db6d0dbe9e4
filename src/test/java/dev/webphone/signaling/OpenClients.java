package dev.webphone.signaling;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The signalling clients a test opens against its {@code @SpringBootTest} server, closed after each
 * test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final OpenClients clients = new OpenClients();
 * ...
 * SignalingClient ann = this.clients.join("Webphone1");
 * }</pre>
 */
public final class OpenClients implements BeforeEachCallback, AfterEachCallback {

	private final List<SignalingClient> clients = new CopyOnWriteArrayList<>();

	private int port;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.port = SpringExtension.getApplicationContext(context)
			.getEnvironment()
			.getRequiredProperty("local.server.port", Integer.class);
	}

	/** Opens a connection that has not joined a line. */
	public SignalingClient open() throws Exception {
		return add(SignalingClient.open(this.port));
	}

	/** Opens a connection and joins {@code line}. */
	public SignalingClient join(String line) throws Exception {
		return add(SignalingClient.joined(this.port, line));
	}

	/** Closes {@code client} after the test, with the others. */
	public SignalingClient add(SignalingClient client) {
		this.clients.add(client);
		return client;
	}

	/** Closes every client opened so far; also done after each test. */
	public void closeAll() throws IOException {
		for (SignalingClient client : this.clients) {
			client.close();
		}
		this.clients.clear();
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		closeAll();
	}

}
