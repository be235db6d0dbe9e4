package dev.webphone.sip;

import java.time.Duration;
import java.util.List;

import dev.webphone.line.CallState;
import dev.webphone.sip.SipDialPlan.SipTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The SIP routes of the dial plan, their validation, and what SIP responses mean for the caller. */
class SipDialPlanTests {

	@Test
	void theFirstMatchingRouteForTheLineGivesTheUriWithItsGroupsFilledIn() {
		SipDialPlan plan = new SipDialPlan(List.of(
				new SipProperties.Route("8(\\d+)", "sip:$1@office.example", "Sales", "", "", "", ""),
				new SipProperties.Route("9(\\d)(\\d+)", "sip:$2-$1@pbx.example;transport=udp"),
				new SipProperties.Route("9\\d+", "sip:never@pbx.example"),
				new SipProperties.Route("100", "sip:desk@10.0.0.5:5062")));
		assertThat(plan.route("Webphone1", "9123").map(SipTarget::uri)).contains("sip:23-1@pbx.example;transport=udp");
		assertThat(plan.route("Webphone1", "100").map(SipTarget::uri)).contains("sip:desk@10.0.0.5:5062");
		assertThat(plan.route("Sales", "8555").map(SipTarget::uri)).contains("sip:555@office.example");
		// Another line's route, a partial match and no match at all: a browser's number.
		assertThat(plan.route("Webphone1", "8555")).isEmpty();
		assertThat(plan.route("Webphone1", "1001")).isEmpty();
		assertThat(plan.route("Webphone1", "1009")).isEmpty();
		assertThat(new SipDialPlan(List.of()).route("Webphone1", "9123")).isEmpty();
	}

	@Test
	void theRouteThatMatchedComesWithItsTrunk() {
		SipProperties.Route trunk = new SipProperties.Route("0(\\d+)", "sip:$1@trunk.example", "", "sip:proxy.example:5060",
				"webphone", "s3cret", "sip:webphone@trunk.example");
		SipTarget target = new SipDialPlan(List.of(trunk)).route("Webphone1", "0612345678").orElseThrow();
		assertThat(target.route()).isSameAs(trunk);
		assertThat(target.uri()).isEqualTo("sip:612345678@trunk.example");
		assertThat(trunk.toString()).doesNotContain("s3cret");
	}

	@Test
	void badRoutesAreRefusedAtStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties.Route("", "sip:a@b"))
			.withMessageContaining("match must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties.Route("9(\\d+", "sip:a@b"))
			.withMessageContaining("not a regular expression");
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties.Route("9\\d+", "tel:123"))
			.withMessageContaining("must be a SIP URI");
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties.Route("9(\\d+)", "sip:$2@pbx"))
			.withMessageContaining("names $2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Route("9\\d+", "sip:a@b", "", "pbx.example", "", "", ""))
			.withMessageContaining("proxy");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Route("9\\d+", "sip:a@b", "", "", "user", "", ""))
			.withMessageContaining("username and secret go together");
	}

	@Test
	void routesNeedAJanusAndTheJanusUrlMustBeHttp() {
		List<SipProperties.Route> routes = List.of(new SipProperties.Route("9\\d+", "sip:a@b"));
		Duration s = Duration.ofSeconds(5);
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties("", "", s, s, routes))
			.withMessageContaining("need webphone.sip.janus-url");
		assertThatIllegalArgumentException().isThrownBy(() -> new SipProperties("ws://janus:8188", "", s, s, routes))
			.withMessageContaining("http(s) URL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties("http://janus:8088/janus", "", Duration.ZERO, s, routes))
			.withMessageContaining("keep-alive must be positive");
		assertThat(new SipProperties("http://janus:8088/janus", "", s, s, routes).isEnabled()).isTrue();
		assertThat(new SipProperties().isEnabled()).isFalse();
	}

	@Test
	void badRegistrationsAreRefusedAtStartUp() {
		SipProperties.Registration good = new SipProperties.Registration("Webphone1", "1001", "sip:1001@pbx.example",
				"sip:pbx.example:5060", "", "s3cret");
		assertThat(good.toString()).doesNotContain("s3cret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Registration("", "1001", "sip:1001@pbx", "sip:pbx", "", "x"))
			.withMessageContaining("line must not be empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Registration("L", "10a1", "sip:1001@pbx", "sip:pbx", "", "x"))
			.withMessageContaining("number must be 1 to 32 digits");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Registration("L", "1001", "1001@pbx", "sip:pbx", "", "x"))
			.withMessageContaining("uri");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Registration("L", "1001", "sip:1001@pbx", "pbx:5060", "", "x"))
			.withMessageContaining("registrar");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties.Registration("L", "1001", "sip:1001@pbx", "sip:pbx", "", ""))
			.withMessageContaining("secret must not be empty");
		Duration s = Duration.ofSeconds(5);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SipProperties("", "", s, s, List.of(), List.of(good)))
			.withMessageContaining("registrations need webphone.sip.janus-url");
		assertThat(SipRegistration.user("sip:alice@pbx.example")).isEqualTo("alice");
		assertThat(SipRegistration.user("<sips:1002@pbx.example:5061>")).isEqualTo("1002");
		assertThat(SipRegistration.user("anonymous")).isEqualTo("anonymous");
	}

	@Test
	void sipFailuresMapToTheStatesABrowserCalleeWouldGive() {
		assertThat(SipResponse.ofFailure(486, "Busy Here"))
			.isEqualTo(new SipResponse(CallState.BUSY, "the SIP phone is busy (486 Busy Here)"));
		assertThat(SipResponse.ofFailure(600, "Busy Everywhere").state()).isEqualTo(CallState.BUSY);
		for (int code : new int[] { 404, 410, 480, 484, 604 }) {
			assertThat(SipResponse.ofFailure(code, null).state()).as("%d", code).isEqualTo(CallState.NOT_FOUND);
		}
		assertThat(SipResponse.ofFailure(603, "Decline").state()).isEqualTo(CallState.REJECTED);
		assertThat(SipResponse.ofFailure(403, "Forbidden").state()).isEqualTo(CallState.REJECTED);
		assertThat(SipResponse.ofFailure(408, "Request Timeout").state()).isEqualTo(CallState.NOT_ANSWERED);
		assertThat(SipResponse.ofFailure(487, "Request Terminated").state()).isEqualTo(CallState.COMPLETED);
		assertThat(SipResponse.ofFailure(503, "Service Unavailable"))
			.isEqualTo(new SipResponse(CallState.COMPLETED, "the SIP call failed (503 Service Unavailable)"));
		assertThat(SipResponse.ofFailure(500, " ").reason()).isEqualTo("the SIP call failed (500)");
		for (int code = 300; code <= 699; code++) {
			assertThat(SipResponse.ofFailure(code, "x").state().isFinal()).isTrue();
		}
		assertThatIllegalArgumentException().isThrownBy(() -> SipResponse.ofFailure(200, "OK"));
		assertThatIllegalArgumentException().isThrownBy(() -> SipResponse.ofFailure(180, "Ringing"));
	}

}
