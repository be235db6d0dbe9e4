package dev.webphone.signaling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every field from a browser must pass; a violation is a message for the client.
 */
final class Fields {

	private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	static final int MAX_PROPERTIES = 16;

	static final int MAX_PROPERTY_LENGTH = 256;

	/** What all properties of a client may add up to, names and values, in characters. */
	static final int MAX_PROPERTIES_LENGTH = 1024;

	/** The longest number a property may hold, in characters as sent. */
	static final int MAX_NUMBER_LENGTH = 32;

	private Fields() {
	}

	static String callId(String callId) {
		if (callId == null || !CALL_ID.matcher(callId).matches()) {
			throw new IllegalArgumentException("callId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
		}
		return callId;
	}

	static String text(String name, String value, int maxLength, boolean mayBeEmpty) {
		if (value == null || (!mayBeEmpty && value.isEmpty())) {
			throw new IllegalArgumentException(name + " is required");
		}
		if (value.length() > maxLength) {
			throw new IllegalArgumentException(name + " is longer than " + maxLength + " characters");
		}
		return value;
	}

	/**
	 * What a client shows the others: a few flat values, so that one client cannot flood a line.
	 */
	static Map<String, Object> properties(Map<String, Object> properties) {
		if (properties == null) {
			return Map.of();
		}
		if (properties.size() > MAX_PROPERTIES) {
			throw new IllegalArgumentException("properties may have at most " + MAX_PROPERTIES + " keys");
		}
		// Every client of the line gets these: their size is what one client can make the others read.
		Map<String, Object> checked = new LinkedHashMap<>();
		int total = 0;
		for (Map.Entry<String, Object> property : properties.entrySet()) {
			String key = property.getKey();
			Object value = property.getValue();
			text("a property name", key, 64, false);
			total += key.length();
			if (value instanceof String text) {
				text("property '" + key + "'", text, MAX_PROPERTY_LENGTH, true);
				total += text.length();
			}
			else if (value instanceof Number number) {
				String digits = number.toString();
				if (digits.length() > MAX_NUMBER_LENGTH || (number instanceof Double d && !Double.isFinite(d))) {
					throw new IllegalArgumentException(
							"property '" + key + "' must be a number of at most " + MAX_NUMBER_LENGTH + " characters");
				}
				total += digits.length();
			}
			else if (value instanceof Boolean) {
				total += 5;
			}
			else {
				throw new IllegalArgumentException("property '" + key + "' must be a string, number or boolean");
			}
			if (total > MAX_PROPERTIES_LENGTH) {
				throw new IllegalArgumentException(
						"properties may add up to at most " + MAX_PROPERTIES_LENGTH + " characters, names and values");
			}
			checked.put(key, value);
		}
		return checked;
	}

}
