package dev.webphone.line;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limit on joins per remote address.
 */
class JoinRateTests {

	@Test
	void anAddressMayJoinABurstAndThenIsRefused() {
		JoinRate rate = new JoinRate(5, 1);
		for (int i = 0; i < 5; i++) {
			assertThat(rate.tryJoin("192.0.2.1")).isTrue();
		}
		assertThat(rate.tryJoin("192.0.2.1")).isFalse();
	}

	@Test
	void oneAddressUsingUpItsBurstLeavesAnotherItsOwn() {
		JoinRate rate = new JoinRate(3, 1);
		while (rate.tryJoin("192.0.2.1")) {
			// use it up
		}
		assertThat(rate.tryJoin("198.51.100.7")).isTrue();
	}

	@Test
	void theAllowanceComesBackOverTime() throws InterruptedException {
		JoinRate rate = new JoinRate(1, 50);
		assertThat(rate.tryJoin("192.0.2.1")).isTrue();
		assertThat(rate.tryJoin("192.0.2.1")).isFalse();
		long deadline = System.nanoTime() + 2_000_000_000L;
		boolean again = false;
		while (!again && System.nanoTime() < deadline) {
			again = rate.tryJoin("192.0.2.1");
			Thread.onSpinWait();
		}
		assertThat(again).as("a join allowed again within 2 s at 50 per second").isTrue();
	}

	@Test
	void withoutALimitOrAnAddressEveryJoinIsAllowed() {
		JoinRate off = new JoinRate(0, 0);
		JoinRate on = new JoinRate(1, 1);
		for (int i = 0; i < 100; i++) {
			assertThat(off.tryJoin("192.0.2.1")).isTrue();
			assertThat(on.tryJoin("")).isTrue();
		}
	}

}
