package dev.webphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.webphone.support.LocalServers;

/**
 * A real SIP registrar and proxy: Kamailio (Debian package {@code kamailio}) in a
 * {@link NetworkNamespace}, with a configuration generated in a temp directory. Whoever registers a
 * number there (a line's Janus handle) gets the calls phones make to {@code sip:number@registrar}; a
 * number nobody registered is {@code 404}.
 */
public final class Kamailio implements AutoCloseable {

	/** Kamailio's SIP port inside the namespace. */
	static final int SIP_PORT = 5070;

	private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules";

	private final NetworkNamespace namespace;

	private final Path directory;

	private final Process process;

	private Kamailio(NetworkNamespace namespace, Path directory, Process process) {
		this.namespace = namespace;
		this.directory = directory;
		this.process = process;
	}

	public static boolean isInstalled() {
		return LocalServers.executable("kamailio") != null && Files.exists(Path.of(MODULES, "registrar.so"));
	}

	/** Starts Kamailio in {@code namespace} and waits until it answers SIP. */
	public static Kamailio start(NetworkNamespace namespace) {
		Path directory;
		try {
			directory = Files.createTempDirectory("kamailio-");
			Files.writeString(directory.resolve("kamailio.cfg"), """
					#!KAMAILIO
					debug=2
					log_stderror=yes
					children=2
					listen=udp:%1$s:%2$d
					mpath="%3$s/"
					loadmodule "tm.so"
					loadmodule "sl.so"
					loadmodule "rr.so"
					loadmodule "pv.so"
					loadmodule "maxfwd.so"
					loadmodule "usrloc.so"
					loadmodule "registrar.so"
					loadmodule "textops.so"
					loadmodule "siputils.so"
					loadmodule "xlog.so"
					loadmodule "sanity.so"
					loadmodule "corex.so"
					loadmodule "kex.so"
					modparam("usrloc", "db_mode", 0)
					request_route {
						if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
						if (is_method("OPTIONS") && uri==myself && $rU==$null) { sl_send_reply("200", "OK"); exit; }
						if (is_method("REGISTER")) { save("location"); exit; }
						if (has_totag()) {
							if (loose_route() || is_method("ACK|BYE")) { t_relay(); exit; }
							sl_send_reply("404", "Not here"); exit;
						}
						if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
						t_check_trans();
						record_route();
						if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
						t_relay();
					}
					""".formatted(namespace.address(), SIP_PORT, MODULES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Process process;
		try {
			process = new ProcessBuilder(namespace.inside(List.of("kamailio", "-DD", "-E", "-f",
					directory.resolve("kamailio.cfg").toString(), "-Y", directory.toString(), "-P",
					directory.resolve("kamailio.pid").toString())))
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("kamailio.log").toFile())
				.start();
		}
		catch (IOException ex) {
			LocalServers.stop(null, directory);
			throw new UncheckedIOException(ex);
		}
		Kamailio kamailio = new Kamailio(namespace, directory, process);
		try {
			kamailio.awaitStarted();
			return kamailio;
		}
		catch (RuntimeException ex) {
			kamailio.close();
			throw ex;
		}
	}

	private void awaitStarted() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("kamailio exited with " + this.process.exitValue() + ":\n" + log());
			}
			if (Baresip.answersOptions(this.namespace, "sip:" + this.namespace.address() + ":" + SIP_PORT, SIP_PORT)) {
				return;
			}
			this.process.onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
		}
		throw new IllegalStateException("kamailio did not answer within 20 s:\n" + log());
	}

	/** The registrar's URI, e.g. {@code sip:10.201.1.2:5070}. */
	public String uri() {
		return "sip:" + this.namespace.address() + ":" + SIP_PORT;
	}

	/** The URI that reaches whoever registered {@code number}. */
	public String uri(String number) {
		return "sip:" + number + "@" + this.namespace.address() + ":" + SIP_PORT;
	}

	public String log() {
		try {
			return Files.readString(this.directory.resolve("kamailio.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		LocalServers.stop(this.process, this.directory);
	}

}
