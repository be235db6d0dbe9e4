package dev.webphone.sip;

import tools.jackson.databind.JsonNode;

/**
 * Something Janus tells a session of its own accord, through the long poll: a plugin event
 * ({@code event}, with the plugin's {@code data} and maybe a {@code jsep}), or a change of the
 * WebRTC side ({@code webrtcup}, {@code media}, {@code hangup}, {@code detached}), or the end of the
 * session ({@code timeout}; {@value #LOST} when Janus stopped answering).
 *
 * @param type Janus's {@code janus} field
 * @param sender the handle the event is about, 0 for the session
 * @param data the plugin's {@code plugindata.data}, or a missing node
 * @param jsep the session description that came with it, or {@code null}
 */
public record JanusEvent(String type, long sender, JsonNode data, JsonNode jsep) {

	/** Not Janus's: the long poll failed, so the session is as good as gone. */
	public static final String LOST = "lost";

	/** The plugin's {@code result.event} ({@code ringing}, {@code accepted}, {@code hangup}...), or "". */
	public String pluginEvent() {
		return this.data.path("result").path("event").asString("");
	}

}
