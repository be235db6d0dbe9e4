package dev.webphone.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's {@code Negotiator}, two of them back to back in one real Chromium page with real
 * {@code RTCPeerConnection}s and no server: the scenarios the JavaScript unit tests run against a fake
 * {@code RTCPeerConnection} ({@code src/test/js/negotiator.test.mjs}), here to show that the fake behaves
 * as the browser does. The page loads the client's modules one by one from the source tree, then
 * {@code src/test/js/browser/negotiation-in-chromium.js}.
 */
@Tag("browser")
class NegotiationBrowserTests {

	private static final Path MODULES = Path.of("src", "main", "resources", "webphone-api");

	private static final Path SCENARIOS = Path.of("src", "test", "js", "browser", "negotiation-in-chromium.js");

	private static final Duration SCENARIO_TIME_LIMIT = Duration.ofSeconds(60);

	@RegisterExtension
	final Browsers browsers = Browsers.chromium();

	@TempDir
	Path pageDirectory;

	@Test
	void theServersOffererOffersFirstAndThePoliteSideOnlyAnswers() throws IOException {
		Map<String, Object> result = run("first");

		assertThat(result.get("descriptions")).isEqualTo(List.of("impolite offer", "polite answer"));
		assertThat(result.get("received")).isEqualTo(Map.of("impolite", List.of("audio"), "polite", List.of("audio")));
	}

	@Test
	void thePoliteSideRenegotiatesToAddItsCamera() throws IOException {
		Map<String, Object> result = run("politeAddsCamera");

		assertThat(result.get("descriptions"))
			.isEqualTo(List.of("impolite offer", "polite answer", "polite offer", "impolite answer"));
		assertThat(result.get("received")).isEqualTo(Map.of("impolite", List.of("audio", "video"), "polite", List.of("audio")));
	}

	@Test
	void whenBothOfferAtOnceTheImpoliteOfferWinsAndThePoliteChangeFollows() throws IOException {
		Map<String, Object> result = run("glare");

		assertThat(result.get("descriptions")).isEqualTo(List.of("impolite offer", "polite answer", "impolite offer",
				"polite offer", "polite answer", "polite offer", "impolite answer"));
		assertThat(result.get("restartedIce")).as("both sides have new ICE credentials").isEqualTo(true);
		assertThat(result.get("received")).isEqualTo(Map.of("impolite", List.of("audio", "video"), "polite", List.of("audio")));
	}

	@Test
	void aCameraTurnedOffAndOnAgainRenegotiatesOnTheSameVideoMLine() throws IOException {
		Map<String, Object> result = run("videoOffAndOn");

		assertThat(result.get("descriptions")).isEqualTo(List.of("impolite offer", "polite answer", "polite offer",
				"impolite answer", "polite offer", "impolite answer", "polite offer", "impolite answer"));
		assertThat(result.get("mlines")).as("audio and one video m-line").isEqualTo(2L);
		assertThat(result.get("remoteVideoReports")).as("no video, video, none, video").isEqualTo(List.of(0L, 1L, 0L, 1L));
		assertThat(result.get("received")).isEqualTo(Map.of("impolite", List.of("audio", "video"), "polite", List.of("audio")));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> run(String scenario) throws IOException {
		Browser browser = this.browsers.open(page().toUri().toString());
		browser.driver().manage().timeouts().scriptTimeout(SCENARIO_TIME_LIMIT);
		Object result = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
				"negotiationInChromium(arguments[0]).then(arguments[arguments.length - 1]);", scenario);
		assertThat(result).isInstanceOf(Map.class);
		Map<String, Object> outcome = (Map<String, Object>) result;
		assertThat(outcome).as("scenario %s", scenario).doesNotContainKey("error");
		assertThat(outcome.get("failures")).as("failures the negotiators reported").isEqualTo(List.of());
		assertThat(browser.consoleLines()).as("console of " + browser).noneMatch((line) -> line.startsWith("SEVERE"));
		return outcome;
	}

	/** A page that loads the modules in the order the server joins them, then the scenarios. */
	private Path page() throws IOException {
		StringBuilder page = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
		for (String module : Files.readAllLines(MODULES.resolve("modules.txt"), StandardCharsets.UTF_8)) {
			if (!module.isBlank()) {
				page.append(script(MODULES.resolve(module.strip())));
			}
		}
		page.append(script(SCENARIOS)).append("</body></html>\n");
		return Files.writeString(this.pageDirectory.resolve("negotiation.html"), page);
	}

	private static String script(Path file) {
		return "<script src=\"" + file.toAbsolutePath().toUri() + "\"></script>\n";
	}

}
