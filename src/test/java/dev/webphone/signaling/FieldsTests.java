package dev.webphone.signaling;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The limits on what a client shows the others: every client of its line receives it.
 */
class FieldsTests {

	@Test
	void propertiesWithinTheLimitsPass() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("nickname", "Ann");
		properties.put("age", 42);
		properties.put("away", false);
		properties.put("note", "x".repeat(256));
		assertThat(Fields.properties(properties)).isEqualTo(properties);
	}

	@Test
	void propertiesAddingUpToMoreThanTheTotalAreRefused() {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (int i = 0; i < 9; i++) {
			properties.put("p" + i, "x".repeat(250));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> Fields.properties(properties))
			.withMessageContaining("at most 2048 characters");
	}

	@Test
	void aNumberOfAThousandDigitsIsRefused() {
		BigInteger huge = BigInteger.TEN.pow(999);
		assertThatIllegalArgumentException().isThrownBy(() -> Fields.properties(Map.of("n", huge)))
			.withMessageContaining("at most 32 characters");
	}

	@Test
	void anInfiniteNumberIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Fields.properties(Map.of("n", Double.POSITIVE_INFINITY)))
			.withMessageContaining("must be a finite number");
	}

}
