package dev.webphone.access;

import java.time.Duration;
import java.util.List;

import dev.webphone.line.LineProperties;

/**
 * Line admissions for tests outside a Spring context.
 */
public final class TestAdmissions {

	private TestAdmissions() {
	}

	/** Every line open by its name; no tokens. */
	public static LineAdmission open(LineProperties.Spec... lines) {
		AccessProperties.Jwt noJwt = new AccessProperties.Jwt("", "", Duration.ofSeconds(5), "", "", "line", "", "",
				"nickname");
		return new LineAdmission(new AccessProperties(List.of(), noJwt), new LineProperties(List.of(lines)));
	}

}
