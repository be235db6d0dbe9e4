package dev.webphone.line;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Number allocation and seats of a line.
 */
class LineTests {

	private static LineProperties.Spec spec(long firstNumber, int maxClients) {
		return new LineProperties.Spec("Test", Duration.ofSeconds(60), "", false, firstNumber, maxClients);
	}

	@Test
	void numbersStartAtTheConfiguredFirstNumberAndAreNeverReused() {
		Line line = new Line(spec(5000, 0), Runnable::run);
		assertThat(List.of(line.allocateNumber(), line.allocateNumber(), line.allocateNumber()))
			.containsExactly("5000", "5001", "5002");
	}

	@Test
	void extensionNumbersAreNeverHandedOut() {
		LineProperties.Spec spec = new LineProperties.Spec("Test", Duration.ofSeconds(60), "", false, 1000, 0, List.of(),
				List.of(new LineProperties.Extension("1001", "{noop}a"), new LineProperties.Extension("1002", "{noop}b")));
		Line line = new Line(spec, Runnable::run);
		assertThat(List.of(line.allocateNumber(), line.allocateNumber(), line.allocateNumber()))
			.containsExactly("1000", "1003", "1004");
	}

	@Test
	void theFirstMatchingDialPlanRuleDecidesAndUnmatchedNumbersAreDialledAsTheyAre() {
		LineProperties.Spec spec = new LineProperties.Spec("Test", Duration.ofSeconds(60), "200", false, 1000, 0,
				List.of(new LineProperties.DialRule("0(\\d+)", "$1"), new LineProperties.DialRule("0.*", "999"),
						new LineProperties.DialRule("9\\d*", ""), new LineProperties.DialRule("(\\d)(\\d)", "$2$1")),
				List.of());
		Line line = new Line(spec, Runnable::run);
		assertThat(line.route("0123")).as("first rule, by its group").isEqualTo("123");
		assertThat(line.route("90")).as("a rule without destination").isEmpty();
		assertThat(line.route("12")).as("groups in another order").isEqualTo("21");
		assertThat(line.route("123")).as("matches no rule as a whole").isEqualTo("123");
		assertThat(line.route("")).as("no number").isEqualTo("200");
		assertThat(line.route(null)).as("no number").isEqualTo("200");
	}

	@Test
	void dialPlanRulesAndExtensionsAreCheckedWhenTheServerStarts() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LineProperties.DialRule("0(", "1"))
			.withMessageContaining("is not a regular expression");
		assertThatIllegalArgumentException().isThrownBy(() -> new LineProperties.DialRule("0(\\d)", "$2"))
			.withMessageContaining("names $2, but '0(\\d)' has 1 group(s)");
		assertThatIllegalArgumentException().isThrownBy(() -> new LineProperties.DialRule("0", "sip:x"))
			.withMessageContaining("may hold only digits");
		assertThatIllegalArgumentException().isThrownBy(() -> new LineProperties.Extension("20a", "{noop}x"))
			.withMessageContaining("1 to 32 digits");
		assertThatIllegalArgumentException().isThrownBy(() -> new LineProperties.Extension("200", "plain"))
			.withMessageContaining("encoded with its scheme");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LineProperties.Spec("Test", Duration.ofSeconds(60), "", false, 1000, 0, List.of(),
					List.of(new LineProperties.Extension("200", "{noop}a"), new LineProperties.Extension("200", "{noop}b"))))
			.withMessageContaining("given twice");
		assertThat(new LineProperties.Extension("200", "{noop}secret").toString()).doesNotContain("secret");
	}

	@Test
	void numbersAllocatedConcurrentlyAreUnique() throws Exception {
		Line line = new Line(spec(1, 0), Runnable::run);
		Set<String> numbers = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		for (int i = 0; i < 20_000; i++) {
			pool.execute(() -> numbers.add(line.allocateNumber()));
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		assertThat(numbers).hasSize(20_000);
	}

	@Test
	void aFullLineTakesNoMoreClientsUntilOneLeaves() {
		Line line = new Line(spec(1, 2), Runnable::run);
		Client first = new Client(line, line.allocateNumber(), java.util.Map.of(), null);
		assertThat(line.reserveSeat()).isTrue();
		line.add(first);
		assertThat(line.reserveSeat()).isTrue();
		assertThat(line.reserveSeat()).isFalse();
		line.remove(first);
		assertThat(line.reserveSeat()).isTrue();
		assertThat(line.clientCount()).isEqualTo(2);
	}

	@Test
	void theDefaultConfigurationIsOneOpenLineNamedWebphone1() {
		LineProperties defaults = new LineProperties(null);
		assertThat(defaults.lines()).singleElement().satisfies((line) -> {
			assertThat(line.name()).isEqualTo("Webphone1");
			assertThat(line.presence()).isTrue();
			assertThat(line.maxClients()).isZero();
		});
		assertThat(new HashSet<>(defaults.lines())).hasSize(1);
	}

}
