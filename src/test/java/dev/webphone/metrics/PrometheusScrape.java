package dev.webphone.metrics;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scrape of {@code /actuator/prometheus}, as a map from series ({@code name{labels}}) to value.
 */
record PrometheusScrape(Map<String, Double> series) {

	static PrometheusScrape parse(String text) {
		Map<String, Double> series = new HashMap<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
		}
		return new PrometheusScrape(series);
	}

	/** The value of a series, which must be in the scrape; {@code labels} as Prometheus prints them. */
	double value(String name, String labels) {
		String key = labels.isEmpty() ? name : name + "{" + labels + "}";
		assertThat(this.series).as("series in the scrape").containsKey(key);
		return this.series.get(key);
	}

	double value(String name) {
		return value(name, "");
	}

}
