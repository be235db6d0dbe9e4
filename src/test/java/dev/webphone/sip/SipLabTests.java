package dev.webphone.sip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SIP test harness itself: Janus and the phone come up in a namespace of their own, answer
 * there, and are gone with the namespace once the lab is closed.
 */
class SipLabTests {

	@Test
	void startsJanusAndAPhoneInANamespaceAndRemovesThemAll() {
		SipLab.requireInstalled();
		String name;
		JanusServer janus;
		try (SipLab lab = SipLab.start()) {
			name = lab.namespace().name();
			janus = lab.janus();
			assertThat(janus.info()).contains("server_info").contains("janus.plugin.sip");
			assertThat(lab.phone().answersOptions()).isTrue();
			assertThat(NetworkNamespace.run("ip", "netns", "list")).contains(name);
		}
		assertThat(janus.isRunning()).isFalse();
		assertThat(NetworkNamespace.run("ip", "netns", "list")).doesNotContain(name);
		assertThat(NetworkNamespace.run("ip", "-o", "link", "show")).doesNotContain(name.replace("wpsip", "wps"));
	}

	@Test
	void aFailedStartLeavesNoNamespace() {
		SipLab.requireInstalled();
		String before = NetworkNamespace.run("ip", "netns", "list");
		NetworkNamespace namespace = NetworkNamespace.create();
		String name = namespace.name();
		namespace.close();
		assertThat(NetworkNamespace.run("ip", "netns", "list")).doesNotContain(name);
		assertThat(NetworkNamespace.run("ip", "netns", "list")).isEqualTo(before);
	}

}
