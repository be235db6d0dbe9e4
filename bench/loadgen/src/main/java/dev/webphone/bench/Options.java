package dev.webphone.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name=value} arguments, each with a default, so that a script can name only what it changes.
 */
final class Options {

	private final Map<String, String> values = new HashMap<>();

	Options(String[] args) {
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --name=value, got " + arg);
			}
			int eq = arg.indexOf('=');
			this.values.put(arg.substring(2, eq), arg.substring(eq + 1));
		}
	}

	String text(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	int number(String name, int fallback) {
		String value = this.values.get(name);
		return (value != null) ? Integer.parseInt(value) : fallback;
	}

	/** A duration such as {@code 30s}, {@code 500ms} or {@code 2m}. */
	Duration duration(String name, String fallback) {
		String value = this.values.getOrDefault(name, fallback).trim().toLowerCase();
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		if (value.endsWith("s")) {
			return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
		}
		if (value.endsWith("m")) {
			return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
		}
		return Duration.ofSeconds(Long.parseLong(value));
	}

}
