package dev.webphone.browser;

import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;

/**
 * Lets a test read what a page's {@code RTCPeerConnection}s did: {@link #WATCH} keeps every one the
 * page creates (register it with {@link Browsers#withScriptOnEveryPage}); {@link #selectedPath}
 * reads the candidate pair ICE chose, from {@code getStats()}.
 */
final class PeerConnections {

	/** Replaces the page's {@code RTCPeerConnection} with a subclass that remembers its instances. */
	static final String WATCH = """
			(() => {
			  const Native = window.RTCPeerConnection;
			  const peers = [];
			  window.webphoneTestPeers = peers;
			  window.RTCPeerConnection = class extends Native {
			    constructor(...args) { super(...args); peers.push(this); }
			  };
			})();
			""";

	private static final String SELECTED_PATH = """
			const done = arguments[arguments.length - 1];
			const peers = (window.webphoneTestPeers || []).filter((p) => p.connectionState !== 'closed');
			if (peers.length === 0) { done(null); return; }
			const peer = peers[peers.length - 1];
			peer.getStats().then((stats) => {
			  let pairId = null;
			  stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
			  const pair = pairId ? stats.get(pairId) : null;
			  if (!pair) { done({ policy: peer.getConfiguration().iceTransportPolicy }); return; }
			  const local = stats.get(pair.localCandidateId);
			  const remote = stats.get(pair.remoteCandidateId);
			  done({ policy: peer.getConfiguration().iceTransportPolicy, pairState: pair.state,
			         local: local.candidateType, localUrl: local.url || null,
			         remote: remote.candidateType });
			}, (failure) => done({ error: String(failure) }));
			""";

	private PeerConnections() {
	}

	/**
	 * The ICE path of the page's newest open peer connection: {@code policy} (its
	 * {@code iceTransportPolicy}), and once ICE has chosen a pair, {@code pairState}, the
	 * {@code local}/{@code remote} candidate types and {@code localUrl}, the ICE server the local
	 * candidate came from; {@code null} when the page has no open peer connection.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> selectedPath(Browser browser) {
		return (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(SELECTED_PATH);
	}

}
