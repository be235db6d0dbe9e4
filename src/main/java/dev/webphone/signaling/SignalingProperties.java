package dev.webphone.signaling;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The browsers' signalling connections ({@code webphone.signaling.*}).
 *
 * @param allowedOrigins origins (patterns such as 'https://*.example.com' allowed) of pages on
 * other servers that may use this server's signalling, as in the tutorial's WampServer set-up; pages
 * this server serves itself are always allowed
 * @param maxMessageSize the largest frame a browser may send; a larger one closes its connection
 * @param pingInterval how often the server pings each browser, which keeps idle connections open and
 * finds dead ones
 * @param idleTimeout how long a connection may be silent (its frames and pongs count, the server's own
 * pings do not) before it is closed as a disconnect: the time in which a browser that vanished is found
 * dead; also how long the call of a browser whose connection broke waits for it to resume
 * @param sendBufferLimit how much may wait for one slow browser before its connection is closed
 * @param sendBufferBudget how much may wait for all connections together (browsers, and in relay mode
 * the phone system's connections too) before the one furthest behind is closed; default a quarter of
 * the maximum heap
 * @param rateBurst how many messages a browser may send in a burst
 * @param ratePerSecond how many messages a browser may send per second, on average
 * @param resumeGrace how long the number of a browser whose connection was lost stays its own,
 * waiting for it to reconnect (or its tab to reload) and resume with its secret
 */
@ConfigurationProperties("webphone.signaling")
public record SignalingProperties(@DefaultValue List<String> allowedOrigins,
		@DefaultValue("64KB") DataSize maxMessageSize, @DefaultValue("5s") Duration pingInterval,
		@DefaultValue("12s") Duration idleTimeout,
		@DefaultValue("512KB") DataSize sendBufferLimit, @DefaultValue("200") int rateBurst,
		@DefaultValue("50") int ratePerSecond, DataSize sendBufferBudget,
		@DefaultValue("30s") Duration resumeGrace) {

	/** The budget in bytes: as set, or a quarter of the maximum heap. */
	long sendBufferBudgetBytes() {
		return (this.sendBufferBudget != null) ? this.sendBufferBudget.toBytes() : Runtime.getRuntime().maxMemory() / 4;
	}

}
