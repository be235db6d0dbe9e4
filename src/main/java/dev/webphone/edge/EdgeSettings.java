package dev.webphone.edge;

import java.time.Duration;
import java.util.List;

/**
 * The limits every connection at the edge gets, in the units the edge uses: sizes in bytes, where a
 * text frame counts one byte per character (the JSON we send is ASCII, which Java stores one byte a
 * character).
 *
 * @param allowedOrigins origin patterns of pages on other servers that may connect
 * @param maxMessageSize the largest frame a browser may send
 * @param pingInterval how often every connection is pinged
 * @param idleTimeout how long a connection may stay silent (pongs count, our own pings do not)
 * @param sendBufferLimit how much may wait unsent for one connection before it is cut
 * @param sendBufferBudget how much may wait unsent for all connections together before the one
 * furthest behind is cut
 */
public record EdgeSettings(List<String> allowedOrigins, long maxMessageSize, Duration pingInterval,
		Duration idleTimeout, long sendBufferLimit, long sendBufferBudget) {

}
