package dev.webphone.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The pages and the client script, with the configuration injected into them.
 */
@SpringBootTest(properties = { "webphone.page.script-url=http://pbx.example:7777/WebphoneAPI",
		"webphone.page.server-address=pbx.example", "webphone.page.line=Sales" })
@AutoConfigureMockMvc
class PageControllerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void theVoiceCallPageLoadsTheConfiguredScriptAndConnectsToTheConfiguredLine() throws Exception {
		this.mvc.perform(get("/voicecall"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(
					containsString("<script type=\"text/javascript\" src=\"http://pbx.example:7777/WebphoneAPI\" nonce=\""),
					containsString("OzWebClient.connect(\"pbx.example\", \"Sales\");"),
					containsString("<button onclick=\"hangUpCall()\">Hang up</button>"))))
			// The page signals to the configured server, which its Content-Security-Policy must allow.
			.andExpect(header().string("Content-Security-Policy",
					containsString("connect-src 'self' ws://pbx.example:* wss://pbx.example:*;")));
	}

	@Test
	void theVideoCallPageLoadsTheConfiguredScriptAndItsOwnAndNamesTheConfiguredLine() throws Exception {
		this.mvc.perform(get("/videocall"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("<script src=\"http://pbx.example:7777/WebphoneAPI\"></script>"),
					containsString("<script src=\"/js/videocall.js\" defer></script>"),
					containsString("data-server-address=\"pbx.example\""), containsString("data-line=\"Sales\""),
					containsString("<video id=\"remote-video\""), containsString("<video id=\"local-video\""))));
	}

	@Test
	void theStartPageLinksToTheVoiceCallVideoCallAndPhonePages() throws Exception {
		this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("href=\"/voicecall\""), containsString("href=\"/videocall\""),
					containsString("href=\"/phone\""), containsString("second tab"), containsString("Sales"))));
	}

	@Test
	void theStartPageStylesheetComesFromAWebJar() throws Exception {
		this.mvc.perform(get("/webjars/bootstrap/css/bootstrap.min.css")).andExpect(status().isOk());
	}

	@Test
	void theClientIsOneClassicScriptThatDefinesTheTutorialsGlobals() throws Exception {
		this.mvc.perform(get("/WebphoneAPI"))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", startsWith("text/javascript")))
			.andExpect(header().exists("ETag"))
			.andExpect(content().string(allOf(startsWith("/* WebphoneAPI"), containsString("OzWebClient"),
					containsString("ConnectionState"), containsString("CallState"))));
	}

	@Test
	void anUnchangedClientIsNotSentAgain() throws Exception {
		String etag = this.mvc.perform(get("/WebphoneAPI")).andReturn().getResponse().getHeader("ETag");
		this.mvc.perform(get("/WebphoneAPI").header("If-None-Match", etag)).andExpect(status().isNotModified());
	}

}
