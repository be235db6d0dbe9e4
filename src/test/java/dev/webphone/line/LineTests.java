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
