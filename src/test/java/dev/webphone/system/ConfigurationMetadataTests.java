package dev.webphone.system;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the build generates from the properties records, which IDEs use to
 * complete and explain the {@code webphone.*} keys in {@code application.yml}.
 */
class ConfigurationMetadataTests {

	@Test
	void everyWebphoneKeyIsListedWithADescription() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.path("properties")) {
			String name = property.path("name").asString();
			if (name.startsWith("webphone.")) {
				names.add(name);
				assertThat(property.path("description").asString()).as("description of " + name).isNotBlank();
			}
		}
		assertThat(names).contains("webphone.lines", "webphone.ice.servers", "webphone.ice.transport-policy",
				"webphone.signaling.ping-interval", "webphone.tls.self-signed.enabled", "webphone.page.line");
	}

}
