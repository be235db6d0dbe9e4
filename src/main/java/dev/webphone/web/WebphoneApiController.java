package dev.webphone.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.webphone.system.ConditionalOnEmbeddedLine;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.DigestUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Serves the {@code WebphoneAPI} client as the one classic script the tutorial's page loads.
 *
 * <p>The client is written as small files under {@code webphone-api/}, listed in load order in
 * {@code modules.txt}; they are joined once, at start-up, inside one function scope so that only
 * the documented globals leak.
 */
@RestController
@ConditionalOnEmbeddedLine
class WebphoneApiController {

	private static final String DIRECTORY = "webphone-api/";

	private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

	private final String script;

	private final String etag;

	WebphoneApiController() {
		this.script = assemble();
		this.etag = "\"" + DigestUtils.md5DigestAsHex(this.script.getBytes(StandardCharsets.UTF_8)) + "\"";
	}

	@GetMapping("/WebphoneAPI")
	ResponseEntity<String> script(WebRequest request) {
		if (request.checkNotModified(this.etag)) {
			return null;
		}
		return ResponseEntity.ok()
			.contentType(JAVASCRIPT)
			.cacheControl(CacheControl.maxAge(0, TimeUnit.SECONDS).cachePublic().mustRevalidate())
			.eTag(this.etag)
			.body(this.script);
	}

	private static String assemble() {
		StringBuilder script = new StringBuilder("/* WebphoneAPI: the Webphone client. */\n(function () {\n\"use strict\";\n");
		for (String module : read("modules.txt").split("\\R")) {
			if (!module.isBlank()) {
				script.append("\n/* ").append(module.strip()).append(" */\n").append(read(module.strip()));
			}
		}
		return script.append("\n})();\n").toString();
	}

	private static String read(String name) {
		try {
			return new ClassPathResource(DIRECTORY + name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The WebphoneAPI client is incomplete: " + name + " is missing", ex);
		}
	}

}
