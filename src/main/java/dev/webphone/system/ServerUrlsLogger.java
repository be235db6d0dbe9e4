package dev.webphone.system;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Logs the URLs to open once the web server listens, one per address of the machine, so that
 * whoever starts a LAN demo can read off what to type into the other devices.
 */
@Component
class ServerUrlsLogger implements ApplicationListener<WebServerInitializedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ServerUrlsLogger.class);

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return; // the management server, when it has a port of its own
		}
		Binder binder = Binder.get(event.getApplicationContext().getEnvironment());
		Ssl ssl = binder.bind("server.ssl", Ssl.class).orElse(null);
		InetAddress bound = binder.bind("server.address", InetAddress.class).orElse(null);
		String scheme = Ssl.isEnabled(ssl) ? "https" : "http";
		int port = event.getWebServer().getPort();
		List<String> urls = new ArrayList<>();
		if (bound == null || bound.isAnyLocalAddress()) {
			urls.add(scheme + "://localhost:" + port + "/");
			String hostName = LocalAddresses.hostName();
			if (hostName != null) {
				urls.add(scheme + "://" + hostName + ":" + port + "/");
			}
			LocalAddresses.addresses().stream().filter((address) -> !address.isLoopbackAddress())
				.forEach((address) -> urls.add(scheme + "://" + LocalAddresses.urlHost(address) + ":" + port + "/"));
		}
		else {
			urls.add(scheme + "://" + LocalAddresses.urlHost(bound) + ":" + port + "/");
		}
		logger.info("Webphone is listening on: {}", String.join("  ", urls));
	}

}
