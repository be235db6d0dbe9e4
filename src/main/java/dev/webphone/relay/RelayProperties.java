package dev.webphone.relay;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Relay mode ({@code webphone.relay.*}): the browsers' script and signalling come from an upstream
 * phone system, through this server.
 *
 * @param upstream the phone system's base URL, such as {@code http://pbx.example:7777}; empty (the
 * default) for the embedded line instead of a relay. The relayed paths are appended to it ({@code wss://}
 * for WebSocket paths of an {@code https://} upstream)
 * @param connectTimeout how long opening an upstream connection (TCP, TLS and the WebSocket or HTTP
 * exchange) may take before the browser's connection is closed or the script request fails; keep it
 * below the client's own 5 s so that the browser hears a prompt {@code CONNECTION_FAILED}
 * @param scriptCacheTime how long a fetched script, and whether the upstream answered at all, is reused
 * before the upstream is asked again; the health check shares it
 * @param maxPendingFrames how many frames a browser may send while its upstream connection is still
 * opening; one more closes the browser's connection
 * @param maxUpstreamBacklog how many bytes browsers' frames may hold, in total across all browsers,
 * while they wait for their upstream connections to open; the browser whose frame does not fit is closed
 * with 1013. Once open, an upstream connection is held to {@code webphone.signaling.send-buffer-limit}
 * and {@code send-buffer-budget} like any other
 * @param httpPaths the upstream's paths relayed as HTTP GET and HEAD, unchanged (paths or Spring path
 * patterns such as {@code /pbx/**}); nothing else of the upstream is reachable through this server
 * @param websocketPaths the upstream's paths relayed as WebSocket connections, frame by frame
 * unchanged, one upstream connection per browser
 * @param scriptPath which of the HTTP paths is the client script the page loads: it is cached, checked
 * by health, and answered with a stand-in client that reports {@code CONNECTION_FAILED} while the
 * upstream cannot be reached
 * @param maxResponseSize the largest HTTP response relayed from the upstream; a larger one is answered
 * with 502
 */
@ConfigurationProperties("webphone.relay")
public record RelayProperties(@DefaultValue("") String upstream, @DefaultValue("3s") Duration connectTimeout,
		@DefaultValue("5s") Duration scriptCacheTime, @DefaultValue("32") int maxPendingFrames,
		@DefaultValue("32MB") DataSize maxUpstreamBacklog, @DefaultValue("/WebphoneAPI") List<String> httpPaths,
		@DefaultValue("/webphone/ws") List<String> websocketPaths, @DefaultValue("/WebphoneAPI") String scriptPath,
		@DefaultValue("4MB") DataSize maxResponseSize) {

}
