// WebRTC negotiation for one call, independent of the signalling transport: it reports what must
// go to the other party through onSignal({description} or {candidate}), and is fed the other
// party's signals through receive(). The RTCPeerConnection constructor can be swapped, so two
// negotiators can be wired back to back in a test.

// Chrome reports "failed" after about 30 s of fruitless checks; an answer that never comes is not
// reported by anything, so the negotiator watches for that itself.
const MEDIA_CONNECT_TIMEOUT_MS = 30000;

// Media that worked and was lost (a network change, a dropped TURN relay) gets this long to come
// back through ICE restarts before the call ends.
const MEDIA_RECOVERY_TIMEOUT_MS = 30000;

// "disconnected" often heals by itself within a second or two; only then does the offerer restart.
const ICE_DISCONNECTED_GRACE_MS = 2000;

// A restart can come too early (the network, or the TURN server, not back yet); the offerer tries
// again this often until media flows or the recovery time-out ends the call.
const ICE_RESTART_RETRY_MS = 4000;

// How many icecandidateerror reports a failure message quotes; a browser reports one per server URL.
const CANDIDATE_ERRORS_QUOTED = 4;

class Negotiator {
    #peer;
    #callbacks;
    #work = Promise.resolve();
    #earlyCandidates = [];
    #watchdog;
    #closed = false;
    #localCandidates = 0;
    #candidateErrors = [];
    #offerer;
    #everConnected = false;
    #restartTimer = null;

    // localStream may be a promise: negotiation starts once the microphone is granted, and remote
    // signals that arrive meanwhile wait in line.
    // iceTransportPolicy "relay" makes the browser use TURN relays only.
    constructor({ iceServers, iceTransportPolicy = "all", localStream, offerer, onSignal, onRemoteStream, onFailure,
                  PeerConnection = RTCPeerConnection }) {
        this.#callbacks = { onSignal, onRemoteStream, onFailure };
        this.#offerer = offerer;
        this.#peer = new PeerConnection({ iceServers: iceServers || [], iceTransportPolicy });
        this.#peer.onicecandidate = event => {
            // The null end-of-candidates marker is not relayed: browsers finish checks without it.
            if (event.candidate) {
                if (event.candidate.candidate) {
                    this.#localCandidates++;
                }
                onSignal({ candidate: event.candidate.toJSON() });
            }
        };
        // A TURN server that refuses the credentials (401) or cannot be reached is only reported
        // here; under the relay policy it means there will be no candidate at all.
        this.#peer.onicecandidateerror = event => this.#candidateErrors.push(
            `${event.url || "ICE server"} ${event.errorCode}${event.errorText ? " " + event.errorText : ""}`);
        this.#peer.onicegatheringstatechange = () => this.#gatheringStateChanged(iceTransportPolicy);
        this.#peer.ontrack = event => onRemoteStream(event.streams[0] || new MediaStream([event.track]));
        this.#peer.oniceconnectionstatechange = () => this.#iceStateChanged();
        // The ICE state tells "no answer came" (new) from "no network path" (checking).
        this.#watchdog = setTimeout(() => this.#fail(`media did not connect within ${MEDIA_CONNECT_TIMEOUT_MS / 1000} s`
            + ` (ICE state ${this.#peer.iceConnectionState})`), MEDIA_CONNECT_TIMEOUT_MS);

        this.#enqueue(async () => {
            const stream = await localStream;
            stream.getTracks().forEach(track => this.#peer.addTrack(track, stream));
            if (offerer) {
                await this.#peer.setLocalDescription(await this.#peer.createOffer());
                onSignal({ description: this.#peer.localDescription.toJSON() });
            }
        });
    }

    receive({ description, candidate }) {
        if (description) {
            this.#enqueue(() => this.#acceptDescription(description));
        } else if (candidate) {
            this.#enqueue(() => this.#acceptCandidate(candidate));
        }
    }

    close() {
        this.#closed = true;
        clearTimeout(this.#watchdog);
        clearTimeout(this.#restartTimer);
        this.#peer.close();
    }

    // A new offer with fresh ICE credentials, so both sides look for a path again; only the offerer
    // makes offers. An offer of ours still unanswered (its answer lost with a connection) is rolled back.
    restartIce(iceServers) {
        if (!this.#offerer || this.#closed) {
            return;
        }
        clearTimeout(this.#restartTimer);
        this.#restartTimer = setTimeout(() => this.#restartIfStillDown(), ICE_RESTART_RETRY_MS);
        this.#enqueue(async () => {
            if (Array.isArray(iceServers)) {
                try {
                    this.#peer.setConfiguration({ ...this.#peer.getConfiguration(), iceServers });
                } catch (failure) {
                    log.warn("kept the old ICE servers:", failure.message);
                }
            }
            if (this.#peer.signalingState === "have-local-offer") {
                await this.#peer.setLocalDescription({ type: "rollback" });
            }
            log.info("restarting ICE");
            await this.#peer.setLocalDescription(await this.#peer.createOffer({ iceRestart: true }));
            this.#callbacks.onSignal({ description: this.#peer.localDescription.toJSON() });
        });
    }

    // Every operation runs after the previous one: a candidate must not overtake the description
    // it belongs to, and the offer must wait for the local tracks.
    #enqueue(operation) {
        this.#work = this.#work
            .then(() => this.#closed ? undefined : operation())
            .catch(failure => this.#fail(`negotiation failed: ${failure.message || failure}`));
    }

    async #acceptDescription(description) {
        await this.#peer.setRemoteDescription(description);
        if (description.type === "offer") {
            await this.#peer.setLocalDescription(await this.#peer.createAnswer());
            this.#callbacks.onSignal({ description: this.#peer.localDescription.toJSON() });
        }
        for (const candidate of this.#earlyCandidates.splice(0)) {
            await this.#addCandidate(candidate);
        }
    }

    async #acceptCandidate(candidate) {
        if (this.#peer.remoteDescription) {
            await this.#addCandidate(candidate);
        } else {
            this.#earlyCandidates.push(candidate);
        }
    }

    // One unusable candidate (an unresolvable mDNS name, say) costs one path, not the call.
    async #addCandidate(candidate) {
        try {
            await this.#peer.addIceCandidate(candidate);
        } catch (failure) {
            log.warn("ignored an ICE candidate the browser refused:", failure.message);
        }
    }

    // With no local candidate no path can ever be found: end the call now rather than after the
    // watchdog's 30 s, and say why.
    #gatheringStateChanged(policy) {
        if (this.#peer.iceGatheringState !== "complete" || this.#localCandidates > 0) {
            return;
        }
        const errors = [...new Set(this.#candidateErrors)];
        const detail = errors.length > 0
            ? errors.slice(0, CANDIDATE_ERRORS_QUOTED).join("; ")
            : "no ICE server reported an error";
        this.#fail(policy === "relay"
            ? `no TURN relay could be allocated (iceTransportPolicy relay): ${detail}`
            : `no ICE candidate could be gathered: ${detail}`);
    }

    // Before media ever flowed, failed means there is no path at all. After, a lost path is worth
    // recovering: the offerer restarts ICE, and the call ends only if nothing comes back in time.
    #iceStateChanged() {
        const state = this.#peer.iceConnectionState;
        if (state === "connected" || state === "completed") {
            this.#everConnected = true;
            clearTimeout(this.#watchdog);
            this.#watchdog = null;
            clearTimeout(this.#restartTimer);
            this.#restartTimer = null;
        } else if (state === "failed" && !this.#everConnected) {
            this.#fail("ICE failed: no network path to the other party");
        } else if (state === "failed" || state === "disconnected") {
            log.warn(`media path ${state}; ${this.#offerer ? "restarting ICE" : "waiting for the other party to restart ICE"}`);
            if (this.#watchdog === null) {
                this.#watchdog = setTimeout(() => this.#fail(`media did not come back within ${MEDIA_RECOVERY_TIMEOUT_MS / 1000} s`
                    + ` (ICE state ${this.#peer.iceConnectionState})`), MEDIA_RECOVERY_TIMEOUT_MS);
            }
            if (this.#offerer && state === "failed") {
                this.restartIce();
            } else if (this.#offerer && this.#restartTimer === null) {
                this.#restartTimer = setTimeout(() => this.#restartIfStillDown(), ICE_DISCONNECTED_GRACE_MS);
            }
        }
    }

    #restartIfStillDown() {
        this.#restartTimer = null;
        if (!this.#closed && !["connected", "completed"].includes(this.#peer.iceConnectionState)) {
            this.restartIce();
        }
    }

    #fail(reason) {
        if (!this.#closed) {
            this.close();
            this.#callbacks.onFailure(reason);
        }
    }
}
