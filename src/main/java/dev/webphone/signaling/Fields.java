package dev.webphone.signaling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every field from a browser must pass; a violation is a message for the client.
 */
final class Fields {

	private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern NUMBER = Pattern.compile("[0-9]{1,32}");

	static final int MAX_PROPERTIES = 16;

	static final int MAX_PROPERTY_LENGTH = 256;

	/** Characters of all property names and values together, numbers and booleans as written. */
	static final int MAX_PROPERTIES_LENGTH = 2048;

	/** The longest number a property may hold, in characters as written. */
	static final int MAX_NUMBER_LENGTH = 32;

	private Fields() {
	}

	static String callId(String callId) {
		if (callId == null || !CALL_ID.matcher(callId).matches()) {
			throw new IllegalArgumentException("callId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
		}
		return callId;
	}

	static String number(String name, String value) {
		if (value == null || !NUMBER.matcher(value).matches()) {
			throw new IllegalArgumentException(name + " must be a phone number: 1 to 32 digits");
		}
		return value;
	}

	static String text(String name, String value, int maxLength, boolean mayBeEmpty) {
		if (value == null || (!mayBeEmpty && value.isEmpty())) {
			throw new IllegalArgumentException(name + " is required");
		}
		if (value.length() > maxLength) {
			throw new IllegalArgumentException(name + " is longer than " + maxLength + " characters");
		}
		if (hasLoneSurrogate(value)) {
			// It cannot be encoded as UTF-8 for anyone it is passed on to.
			throw new IllegalArgumentException(name + " contains a lone surrogate (\\ud800-\\udfff unpaired)");
		}
		return value;
	}

	private static boolean hasLoneSurrogate(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
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
		int length = 0;
		for (Map.Entry<String, Object> property : properties.entrySet()) {
			String key = text("a property name", property.getKey(), 64, false);
			Object value = property.getValue();
			if (value instanceof String text) {
				text("property '" + key + "'", text, MAX_PROPERTY_LENGTH, true);
			}
			else if (value instanceof Double number && !Double.isFinite(number)) {
				// Passed on, it would reach the others as "Infinity" or "NaN", which is not JSON.
				throw new IllegalArgumentException("property '" + key + "' must be a finite number");
			}
			else if (value instanceof Number number && number.toString().length() > MAX_NUMBER_LENGTH) {
				throw new IllegalArgumentException(
						"property '" + key + "' must be a number of at most " + MAX_NUMBER_LENGTH + " characters");
			}
			else if (!(value instanceof Number || value instanceof Boolean)) {
				throw new IllegalArgumentException("property '" + key + "' must be a string, number or boolean");
			}
			length += key.length() + String.valueOf(value).length();
			if (length > MAX_PROPERTIES_LENGTH) {
				throw new IllegalArgumentException(
						"properties may have at most " + MAX_PROPERTIES_LENGTH + " characters of names and values in all");
			}
			checked.put(key, value);
		}
		return checked;
	}

}
