package dev.webphone.bench;

/**
 * Just enough JSON for the generator: it builds the few messages it sends and reads flat string
 * fields out of what the server sends. A real parser would spend the CPU the server is being
 * measured with, on the same two cores.
 */
final class Wire {

	private Wire() {
	}

	static String connect(String line, int index) {
		return "{\"type\":\"connect\",\"line\":\"" + line + "\",\"properties\":{\"nickname\":\"bench-" + index
				+ "\"}}";
	}

	static String resume(String secret) {
		return "{\"type\":\"resume\",\"secret\":\"" + secret + "\"}";
	}

	static String dial(String callId, String to) {
		return "{\"type\":\"dial\",\"callId\":\"" + callId + "\",\"to\":\"" + to + "\",\"callType\":\"AUDIO\"}";
	}

	static String accept(String callId) {
		return "{\"type\":\"accept\",\"callId\":\"" + callId + "\"}";
	}

	static String hangUp(String callId) {
		return "{\"type\":\"hangup\",\"callId\":\"" + callId + "\"}";
	}

	/**
	 * The value of a top-level string field, or {@code null}. Good for the server's own messages,
	 * whose ids and states need no escaping; not a general JSON reader.
	 */
	static String field(String json, String name) {
		String key = "\"" + name + "\":\"";
		int start = json.indexOf(key);
		if (start < 0) {
			return null;
		}
		start += key.length();
		int end = json.indexOf('"', start);
		return (end < 0) ? null : json.substring(start, end);
	}

}
