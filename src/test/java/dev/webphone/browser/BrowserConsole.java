package dev.webphone.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything a page wrote to the browser console since the browser started. ChromeDriver hands out each
 * entry only once, so this keeps them all; a wait can then match a line that arrived before it began.
 * Lines look like ChromeDriver reports them, e.g. {@code http://127.0.0.1:8080/app.js 12:8 "IN_CALL"}.
 */
final class BrowserConsole {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private final WebDriver driver;

	private final List<String> lines = new ArrayList<>();

	BrowserConsole(WebDriver driver) {
		this.driver = driver;
	}

	/** All lines so far, oldest first. */
	synchronized List<String> lines() {
		for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
			lines.add(entry.getLevel() + " " + entry.getMessage());
		}
		return List.copyOf(lines);
	}

	/**
	 * Waits until some line, earlier or new, matches; fails listing every line seen when none does in time.
	 * @return the first matching line
	 */
	String awaitLine(Predicate<String> condition, Duration timeout) {
		await().atMost(timeout).pollInterval(POLL_INTERVAL).pollInSameThread()
			.untilAsserted(() -> assertThat(lines()).as("browser console").anyMatch(condition));
		return lines().stream().filter(condition).findFirst().orElseThrow();
	}

	/** The lines that were seen last, without asking the browser, which may be gone already. */
	synchronized List<String> seen() {
		return List.copyOf(lines);
	}

}
