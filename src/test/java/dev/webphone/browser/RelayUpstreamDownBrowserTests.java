package dev.webphone.browser;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.webphone.relay.UpstreamPhoneSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tutorial page, unchanged, loaded from a relay whose phone system is down: the page's own
 * {@code onConnectionStateChanged} handler hears {@code CONNECTION_FAILED} with a reason naming the
 * phone system, instead of the page dying on {@code ReferenceError: OzWebClient is not defined}; and
 * once the phone system is back, reloading the page connects.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RelayUpstreamDownBrowserTests {

	static final int UPSTREAM_PORT = freePort();

	@DynamicPropertySource
	static void relayToAPhoneSystemThatIsDown(DynamicPropertyRegistry registry) {
		registry.add("webphone.relay.upstream", () -> "http://localhost:" + UPSTREAM_PORT);
	}

	/**
	 * Runs before the page's scripts and records what the tutorial's own handler, the function named
	 * {@code connectionStateChanged}, is given: the tutorial only logs the state object, which the
	 * console shows as a bare {@code String}.
	 */
	private static final String WATCH_THE_TUTORIALS_HANDLER = """
			window.tutorialHandlerSaw = [];
			Object.defineProperty(window, "OzWebClient", { configurable: true, set(client) {
			    const register = client.onConnectionStateChanged.bind(client);
			    client.onConnectionStateChanged = (handler) => register(handler.name !== "connectionStateChanged"
			        ? handler
			        : (state) => {
			            window.tutorialHandlerSaw.push({ equalsFailed: state == ConnectionState.CONNECTION_FAILED,
			                state: String(state), reason: String(state.reason) });
			            return handler(state);
			        });
			    Object.defineProperty(window, "OzWebClient", { configurable: true, writable: true, value: client });
			} });
			""";

	@RegisterExtension
	final Browsers browsers = Browsers.chromium().withScriptOnEveryPage(WATCH_THE_TUTORIALS_HANDLER);

	@LocalServerPort
	int port;

	@Test
	void thePageHearsConnectionFailedNamingThePhoneSystemAndConnectsAfterAReloadOnceItIsBack() {
		Browser browser = this.browsers.open("http://localhost:" + this.port + "/voicecall");
		await().atMost(Duration.ofSeconds(10)).until(() -> !seenByTheTutorialsHandler(browser).isEmpty());
		List<Map<String, Object>> seen = seenByTheTutorialsHandler(browser);
		assertThat(seen).singleElement().satisfies((state) -> {
			assertThat(state).containsEntry("equalsFailed", true).containsEntry("state", "CONNECTION_FAILED");
			assertThat((String) state.get("reason"))
				.isEqualTo("the phone system at http://localhost:" + UPSTREAM_PORT
						+ " is not reachable (connection refused); try again later");
		});
		assertThat(browser.driver().findElement(By.id("webphone-status")).getText())
			.contains("Not connected (CONNECTION_FAILED: the phone system at");
		assertThat(browser.consoleLines()).as("console").noneMatch((line) -> line.contains("ReferenceError"));

		try (UpstreamPhoneSystem upstream = UpstreamPhoneSystem.startOn(UPSTREAM_PORT)) {
			// The relay remembers a failure for a second; then the next page load gets the real script.
			await().atMost(Duration.ofSeconds(10)).until(this::scriptIsRelayed);
			browser.driver().navigate().refresh();
			browser.awaitConsole((line) -> line.contains("ACCESS_GRANTED"), Duration.ofSeconds(10));
			assertThat(seenByTheTutorialsHandler(browser)).singleElement()
				.satisfies((state) -> assertThat(state).containsEntry("state", "ACCESS_GRANTED"));
			assertThat(upstream.connectionCount()).as("connections the phone system holds").isEqualTo(1);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> seenByTheTutorialsHandler(Browser browser) {
		Object seen = ((JavascriptExecutor) browser.driver()).executeScript("return window.tutorialHandlerSaw || [];");
		return (List<Map<String, Object>>) seen;
	}

	private boolean scriptIsRelayed() throws Exception {
		HttpResponse<Void> script = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/WebphoneAPI")).build(),
					HttpResponse.BodyHandlers.discarding());
		return script.headers().firstValue("X-Webphone-Upstream").isEmpty();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
