package dev.webphone.browser;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowsersTests {

	private static final List<Path> MISSING = List.of(Path.of("/nonexistent/chromium"));

	@Test
	void missingBrowserSkipsTheTestOutsideCi() {
		assertThatThrownBy(() -> Browsers.requireInstalled(MISSING, null, "simulated test without Chromium"))
			.isInstanceOf(TestAbortedException.class).hasMessageContaining("/nonexistent/chromium");
	}

	@Test
	void missingBrowserFailsTheTestOnCi() {
		assertThatThrownBy(() -> Browsers.requireInstalled(MISSING, "true", "simulated test without Chromium"))
			.isInstanceOf(AssertionError.class).hasMessageContaining("/nonexistent/chromium");
	}

	@Test
	void installedBinariesLetTheTestRun() {
		assertThatNoException().isThrownBy(() -> Browsers.requireInstalled(List.of(Path.of("/bin/sh")), "true", "simulated test without Chromium"));
	}

}
