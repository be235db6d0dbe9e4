package dev.webphone.sip;

import dev.webphone.support.LocalServers;

/**
 * What a SIP test runs against: a {@link NetworkNamespace} with a {@link JanusServer} and a
 * {@link Baresip} phone in it. {@link #close()} stops both and deletes the namespace, also after a
 * start that failed half-way.
 */
public final class SipLab implements AutoCloseable {

	/** The frequency of the phone's tone; the browsers' tones differ from it. */
	public static final int PHONE_TONE_HZ = 1_320;

	private final NetworkNamespace namespace;

	private JanusServer janus;

	private Baresip phone;

	private SipLab(NetworkNamespace namespace) {
		this.namespace = namespace;
	}

	/**
	 * Skips the calling test when Janus, baresip or sox is missing or the test cannot make a network
	 * namespace, loudly, unless {@code CI=true}: CI installs them and runs as root.
	 */
	public static void requireInstalled() {
		LocalServers.require(JanusServer.isInstalled() && Baresip.isInstalled(),
				"janus, baresip or sox - apt-get install -y janus baresip sox");
		LocalServers.require(NetworkNamespace.isPossible(), "ip (iproute2), or root to run it,");
	}

	/** Starts Janus and the phone in a namespace of their own. */
	public static SipLab start() {
		SipLab lab = new SipLab(NetworkNamespace.create());
		try {
			lab.janus = JanusServer.start(lab.namespace);
			lab.phone = Baresip.start(lab.namespace, PHONE_TONE_HZ);
			return lab;
		}
		catch (RuntimeException ex) {
			lab.close();
			throw ex;
		}
	}

	public NetworkNamespace namespace() {
		return this.namespace;
	}

	public JanusServer janus() {
		return this.janus;
	}

	public Baresip phone() {
		return this.phone;
	}

	/** Kills Janus at once, as a crash would; {@link #startJanus()} brings one back on the same address. */
	public void killJanus() {
		this.janus.kill();
	}

	/** Starts Janus again after {@link #killJanus()}, at the same URL, with nothing of the old one's. */
	public void startJanus() {
		this.janus.close();
		this.janus = JanusServer.start(this.namespace);
	}

	@Override
	public void close() {
		try {
			if (this.phone != null) {
				this.phone.close();
			}
			if (this.janus != null) {
				this.janus.close();
			}
		}
		finally {
			this.namespace.close();
		}
	}

}
