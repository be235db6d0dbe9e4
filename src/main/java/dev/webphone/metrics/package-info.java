/**
 * Micrometer metrics of the lines and calls, scraped at
 * {@code /actuator/prometheus}. The {@code line} package stays free of Micrometer: it reports
 * through {@link dev.webphone.line.CallObserver} and small accessors on the switchboard.
 */
package dev.webphone.metrics;
