package dev.webphone.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Driving our own pages ({@code /phone}, {@code /videocall}) in a real browser as a user does: by
 * element id, waiting for what the page shows, clicking only what is shown and enabled.
 */
final class PhonePages {

	/** How long the page may take to show what a click or the other side did. */
	static final Duration UI = Duration.ofSeconds(20);

	/** Where screenshots are kept as test output. */
	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private PhonePages() {
	}

	/** The number {@code /phone} shows as the tab's own. */
	static String ownNumber(Browser browser) {
		return text(browser, "own-number").substring("Your number: ".length());
	}

	static WebElement element(Browser browser, String id) {
		return browser.driver().findElement(By.id(id));
	}

	static String text(Browser browser, String id) {
		return element(browser, id).getText().trim();
	}

	static Object script(Browser browser, String script) {
		return ((JavascriptExecutor) browser.driver()).executeScript(script);
	}

	/** Types into a field once it is shown and enabled. */
	static void type(Browser browser, String id, String text) {
		await().atMost(UI).until(() -> element(browser, id).isDisplayed() && element(browser, id).isEnabled());
		element(browser, id).clear();
		element(browser, id).sendKeys(text);
	}

	/** Clicks a button once it is shown and enabled. */
	static void click(Browser browser, By button) {
		await().atMost(UI).ignoreExceptions().until(() -> {
			WebElement element = browser.driver().findElement(button);
			if (!element.isDisplayed() || !element.isEnabled()) {
				return false;
			}
			element.click();
			return true;
		});
	}

	static void awaitText(Browser browser, String id, String expected) {
		await().atMost(UI).untilAsserted(() -> assertThat(text(browser, id)).as("#%s of %s", id, browser)
			.isEqualTo(expected));
	}

	static void awaitVisible(Browser browser, String id) {
		await().atMost(UI).until(() -> element(browser, id).isDisplayed());
	}

	static void awaitHidden(Browser browser, String id) {
		await().atMost(UI).until(() -> !element(browser, id).isDisplayed());
	}

	/** No script error, and nothing the Content-Security-Policy refused. */
	static void assertNoErrors(Browser... browsers) {
		for (Browser browser : browsers) {
			assertThat(browser.consoleLines()).as("console of %s", browser)
				.noneMatch((line) -> line.startsWith("SEVERE") && !line.contains("favicon"))
				.noneMatch((line) -> line.contains("Content Security Policy"));
		}
	}

	/** Keeps what the page shows now as {@code target/screenshots/<name>.png}. */
	static void screenshot(Browser browser, String name) throws IOException {
		Path file = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(SCREENSHOTS);
		Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
