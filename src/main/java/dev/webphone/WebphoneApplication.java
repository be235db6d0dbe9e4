package dev.webphone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Webphone: serves the voice call page and the {@code WebphoneAPI} client, and either is the phone
 * system (an embedded webphone line) or relays to one.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebphoneApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebphoneApplication.class, args);
	}

}
