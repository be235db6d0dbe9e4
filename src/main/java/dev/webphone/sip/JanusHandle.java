package dev.webphone.sip;

import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A handle of a {@link JanusSession} attached to a plugin: where plugin messages and trickles go. */
public final class JanusHandle {

	private final JanusSession session;

	private final long id;

	JanusHandle(JanusSession session, long id) {
		this.session = session;
		this.id = id;
	}

	/** Janus's id of the handle, the {@code sender} of its events. */
	public long id() {
		return this.id;
	}

	public JanusSession session() {
		return this.session;
	}

	/**
	 * Sends a plugin request; completes with Janus's answer: {@code ack} for a request the plugin
	 * answers with an event later, {@code success} with {@code plugindata} for one it answers at once.
	 * @param jsep a session description to go with it, or {@code null}
	 */
	public CompletableFuture<JsonNode> message(ObjectNode body, JsonNode jsep) {
		ObjectNode request = this.session.client().request("message");
		request.set("body", body);
		if (jsep != null) {
			request.set("jsep", jsep);
		}
		return this.session.toHandle(this.id, request);
	}

	/** Passes on an ICE candidate of the browser's; {@code null} for the end of candidates. */
	public CompletableFuture<JsonNode> trickle(JsonNode candidate) {
		ObjectNode request = this.session.client().request("trickle");
		if (candidate == null) {
			ObjectNode completed = JanusClient.JSON.createObjectNode();
			completed.put("completed", true);
			request.set("candidate", completed);
		}
		else {
			request.set("candidate", candidate);
		}
		return this.session.toHandle(this.id, request);
	}

	/** A new request body for the plugin. */
	public static ObjectNode body(String request) {
		ObjectNode body = JanusClient.JSON.createObjectNode();
		body.put("request", request);
		return body;
	}

}
