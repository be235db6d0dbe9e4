package dev.webphone.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.webphone.WebphoneApplication;
import dev.webphone.signaling.SignalingConnections;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real phone system for relay tests: a second instance of this server, in embedded mode, on a
 * port of its own. Registered as an extension it is stopped after the class's tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final UpstreamPhoneSystem upstream = UpstreamPhoneSystem.start();
 * }</pre>
 */
public final class UpstreamPhoneSystem implements AutoCloseable, AfterAllCallback {

	private final ConfigurableApplicationContext context;

	private final int port;

	private UpstreamPhoneSystem(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** Starts one with the default line, {@code Webphone1}, plus {@code properties}. */
	public static UpstreamPhoneSystem start(String... properties) {
		return startOn(0, properties);
	}

	/** Starts one on {@code port}, as a phone system that comes back where it was. */
	public static UpstreamPhoneSystem startOn(int port, String... properties) {
		// Arguments, because they override application.yml as the relay's test properties do.
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--webphone.relay.upstream=",
				// a dying phone system, not one that waits for its calls to end
				"--server.shutdown=immediate", "--spring.main.banner-mode=off"));
		Stream.of(properties).map((property) -> "--" + property).forEach(arguments::add);
		return new UpstreamPhoneSystem(
				new SpringApplicationBuilder(WebphoneApplication.class).run(arguments.toArray(String[]::new)));
	}

	/** What {@code webphone.relay.upstream} is set to, to relay to this phone system. */
	public String url() {
		return "http://localhost:" + this.port;
	}

	public int port() {
		return this.port;
	}

	/** How many signalling connections it holds open, which in relay tests are the relay's. */
	public int connectionCount() {
		return SignalingConnections.count(this.context);
	}

	public boolean isRunning() {
		return this.context.isActive();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Override
	public void afterAll(ExtensionContext extensionContext) {
		close();
	}

}
