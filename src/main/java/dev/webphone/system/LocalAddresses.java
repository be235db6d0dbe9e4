package dev.webphone.system;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names and addresses under which other machines (and this one) can reach the server: what
 * the self-signed certificate must name and what the start-up log offers as URLs.
 */
public final class LocalAddresses {

	private LocalAddresses() {
	}

	/**
	 * The machine's host name, if it has one that is not {@code localhost}.
	 * @return the host name, or {@code null}
	 */
	public static String hostName() {
		try {
			String name = InetAddress.getLocalHost().getHostName();
			return (name == null || name.isBlank() || name.equals("localhost")) ? null : name;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * The loopback addresses, then the addresses of every interface that is up, in interface
	 * order. IPv6 link-local addresses are left out: they need a zone id that browsers do not
	 * accept in URLs.
	 * @return the addresses, without duplicates
	 */
	public static Set<InetAddress> addresses() {
		Set<InetAddress> addresses = new LinkedHashSet<>();
		addresses.add(InetAddress.getLoopbackAddress());
		try {
			addresses.add(InetAddress.getByName("127.0.0.1"));
			addresses.add(InetAddress.getByName("::1"));
			for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!networkInterface.isUp()) {
					continue;
				}
				for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
					if (!address.isLinkLocalAddress() && !address.isMulticastAddress()) {
						addresses.add(withoutScope(address));
					}
				}
			}
		}
		catch (SocketException | UnknownHostException ex) {
			// Interfaces cannot be listed (e.g. a locked-down sandbox): loopback is still right.
		}
		return addresses;
	}

	/**
	 * How an address is written in the host part of a URL.
	 * @param address the address
	 * @return the address, in brackets for IPv6
	 */
	public static String urlHost(InetAddress address) {
		return (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
	}

	private static InetAddress withoutScope(InetAddress address) throws UnknownHostException {
		return InetAddress.getByAddress(address.getAddress());
	}

}
