package dev.webphone.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the voice call page is given ({@code webphone.page.*}).
 *
 * @param scriptUrl the 'WebphoneAPI' script the page loads
 * @param serverAddress the first argument of the page's 'OzWebClient.connect()'; empty for the
 * host name the browser used to open the page
 * @param line the webphone line the page connects to
 */
@ConfigurationProperties("webphone.page")
public record PageProperties(@DefaultValue("/WebphoneAPI") String scriptUrl, @DefaultValue("") String serverAddress,
		@DefaultValue("Webphone1") String line) {

}
