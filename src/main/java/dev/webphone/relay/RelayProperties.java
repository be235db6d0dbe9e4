package dev.webphone.relay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Relay mode ({@code webphone.relay.*}): the browsers' script and signalling come from an upstream
 * phone system, through this server.
 *
 * @param upstream the phone system's base URL, such as {@code http://pbx.example:7777}; empty (the
 * default) for the embedded line instead of a relay. Its {@code /WebphoneAPI} script is served as
 * ours, and its {@code /webphone/ws} endpoint ({@code wss://} for an {@code https://} upstream) gets one
 * connection per browser
 * @param connectTimeout how long opening an upstream connection (TCP, TLS and the WebSocket or HTTP
 * exchange) may take before the browser's connection is closed or the script request fails; keep it
 * below the client's own 5 s so that the browser hears a prompt {@code CONNECTION_FAILED}
 * @param scriptCacheTime how long a fetched script, and whether the upstream answered at all, is reused
 * before the upstream is asked again; the health check shares it
 * @param maxPendingFrames how many frames a browser may send while its upstream connection is still
 * opening; one more closes the browser's connection
 * @param maxUpstreamBacklog how many bytes browsers' frames may hold, in total across all browsers,
 * while they wait for the upstream (its connection still opening, or not reading); the browser whose
 * frame does not fit is closed with 1013. Each browser is also held to
 * {@code webphone.signaling.send-buffer-limit}
 */
@ConfigurationProperties("webphone.relay")
public record RelayProperties(@DefaultValue("") String upstream, @DefaultValue("3s") Duration connectTimeout,
		@DefaultValue("5s") Duration scriptCacheTime, @DefaultValue("32") int maxPendingFrames,
		@DefaultValue("32MB") DataSize maxUpstreamBacklog) {

}
