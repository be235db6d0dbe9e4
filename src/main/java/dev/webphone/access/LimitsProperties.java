package dev.webphone.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much one client may take ({@code webphone.limits.*}).
 *
 * @param connectionsPerAddress how many signalling WebSockets one remote address may hold open at
 * once; a further handshake is refused with HTTP 429; 0 for no limit
 * @param unlimitedAddresses addresses (or ranges such as '10.0.0.0/8') whose connections are not
 * counted; by default this machine's loopback addresses, i.e. its own users and benchmarks
 * @param trustedProxies addresses (or ranges) of reverse proxies whose 'X-Forwarded-For' header
 * names the real client; the header of anyone else is ignored
 * @param callAttemptsPerMinute how many calls one connection may dial per minute (bursts up to
 * this many); a further 'dial' is refused with the error 'RATE_LIMITED'; 0 for no limit
 */
@ConfigurationProperties("webphone.limits")
public record LimitsProperties(@DefaultValue("100") int connectionsPerAddress,
		@DefaultValue({ "127.0.0.0/8", "::1" }) List<String> unlimitedAddresses,
		@DefaultValue List<String> trustedProxies, @DefaultValue("20") int callAttemptsPerMinute) {

}
