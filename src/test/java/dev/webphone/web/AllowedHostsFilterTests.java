package dev.webphone.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host names a request may use: addresses and localhost always, other names only when configured.
 */
class AllowedHostsFilterTests {

	@Test
	void addressLiteralsAndLocalhostCannotBeRebound() {
		AllowedHostsFilter filter = new AllowedHostsFilter(new HttpProperties(List.of()));
		assertThat(filter.isAllowed("192.168.1.20")).isTrue();
		assertThat(filter.isAllowed("[::1]")).isTrue();
		assertThat(filter.isAllowed("localhost")).isTrue();
		assertThat(filter.isAllowed("evil.example")).isFalse();
		assertThat(filter.isAllowed("127.0.0.1.evil.example")).isFalse();
	}

	@Test
	void configuredNamesAndPatternsAreAllowed() {
		AllowedHostsFilter filter = new AllowedHostsFilter(new HttpProperties(List.of("phone.example.com", "*.corp.example")));
		assertThat(filter.isAllowed("Phone.Example.com")).isTrue();
		assertThat(filter.isAllowed("a.corp.example")).isTrue();
		assertThat(filter.isAllowed("corp.example.evil")).isFalse();
		assertThat(filter.isAllowed("example.com")).isFalse();
	}

	@Test
	void aStarAllowsAnyName() {
		assertThat(new AllowedHostsFilter(new HttpProperties(List.of("*"))).isAllowed("anything.example")).isTrue();
	}

}
