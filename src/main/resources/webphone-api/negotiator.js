// WebRTC negotiation for one call, independent of the signalling transport: it reports what must
// go to the other party through onSignal({description} or {candidate}), and is fed the other
// party's signals through receive(). The RTCPeerConnection implementation can be injected
// (PeerConnection), so two negotiators can be wired back to back in a test.
//
// Either side may need to negotiate again during a call (hold, adding video, an ICE restart), so
// offers come from the browser's negotiationneeded event, with the roles of "perfect negotiation":
// the side the server made the offerer is impolite, the other polite. When both offer at once,
// the impolite side ignores the other's offer and the polite side rolls its own back and answers;
// its own change is then offered again once the connection is stable.
//
// Video rides on one m-line per call: a camera that is turned off and on again reuses it
// (replaceTrack and the transceiver's direction) instead of adding an m-line each time, and what
// the other side sends is read from the transceivers once a negotiation is through.

// Chrome reports "failed" after about 30 s of fruitless checks; an answer that never comes is not
// reported by anything, so the negotiator watches for that itself.
const MEDIA_CONNECT_TIMEOUT_MS = 30000;

// A path that worked and broke (a network change, a laptop waking up) gets a chance to come back
// before the call is given up: browsers report "disconnected" within seconds of losing packets and
// often recover alone, so only a path still disconnected after DISCONNECTED_GRACE_MS, or "failed",
// is restarted. The offerer restarts ICE at once; the polite side only if the offerer has not
// brought the path back within POLITE_RESTART_DELAY_MS (the offerer may not have noticed: loss can
// be one-way). A restart can come too early (the network, or the TURN server, not back yet), so the
// side that restarts tries again every ICE_RESTART_RETRY_MS. Without a connected path
// MEDIA_RECOVERY_TIMEOUT_MS after the loss, the call fails.
const DISCONNECTED_GRACE_MS = 3000;
const POLITE_RESTART_DELAY_MS = 2000;
const ICE_RESTART_RETRY_MS = 4000;
const MEDIA_RECOVERY_TIMEOUT_MS = 30000;

// How many icecandidateerror reports a failure message quotes; a browser reports one per server URL.
const CANDIDATE_ERRORS_QUOTED = 4;

function plainDescription(description) {
    return { type: description.type, sdp: description.sdp };
}

function plainCandidate(candidate) {
    return typeof candidate.toJSON === "function" ? candidate.toJSON() : candidate;
}

class Negotiator {
    #peer;
    #callbacks;
    #polite;
    #work = Promise.resolve();
    #earlyCandidates = [];
    #watchdog;
    // Timers of a lost path's recovery; see DISCONNECTED_GRACE_MS.
    #recovery = { everConnected: false, grace: null, restart: null, retry: null, deadline: null };
    #closed = false;
    // Until the first offer and answer are through, only the offerer offers: the server named one
    // side for the first offer, and the polite side's own tracks ride on the answer.
    #established = false;
    // Set while the remote offer being ignored is in play, so its candidates fail quietly.
    #ignoringOffer = false;
    #localCandidates = 0;
    // The statistics behind the last quality() reading, which the next one is compared with.
    #lastReading = null;
    #candidateErrors = [];
    // The remote video tracks last reported through onRemoteVideo, by id; null before the first
    // negotiation, which is always reported (the call type then follows what was negotiated).
    #remoteVideo = null;
    // While held: what each sender is to send again once resumeSending() comes; null when not held.
    #pausedTracks = null;

    // localStream may be a promise: negotiation starts once the microphone is granted, and remote
    // signals that arrive meanwhile wait in line.
    // offerer is the server's offerer flag: that side makes the first offer and is impolite.
    // iceTransportPolicy "relay" makes the browser use TURN relays only.
    // video: the call is a video call, so the offer asks for the other side's video even when this
    // side has no camera to send. onRemoteVideo(tracks), optional, hears the video tracks the other
    // side sends after the first negotiation and whenever a later one changed them (an empty array:
    // none).
    constructor({ iceServers, iceTransportPolicy = "all", localStream, offerer, video = false, onSignal, onRemoteStream,
                  onRemoteVideo = () => {}, onFailure, PeerConnection = RTCPeerConnection }) {
        this.#callbacks = { onSignal, onRemoteStream, onRemoteVideo, onFailure };
        this.#polite = !offerer;
        this.#peer = new PeerConnection({ iceServers: iceServers || [], iceTransportPolicy });
        this.#peer.onicecandidate = event => {
            // The null end-of-candidates marker is not relayed: browsers finish checks without it.
            if (event.candidate) {
                if (event.candidate.candidate) {
                    this.#localCandidates++;
                }
                onSignal({ candidate: plainCandidate(event.candidate) });
            }
        };
        // A TURN server that refuses the credentials (401) or cannot be reached is only reported
        // here; under the relay policy it means there will be no candidate at all.
        this.#peer.onicecandidateerror = event => this.#candidateErrors.push(
            `${event.url || "ICE server"} ${event.errorCode}${event.errorText ? " " + event.errorText : ""}`);
        this.#peer.onicegatheringstatechange = () => this.#gatheringStateChanged(iceTransportPolicy);
        this.#peer.ontrack = event => onRemoteStream(event.streams[0] || new MediaStream([event.track]));
        this.#peer.oniceconnectionstatechange = () => this.#iceStateChanged();
        this.#peer.onnegotiationneeded = () => this.#enqueue(() => this.#offer());
        // The ICE state tells "no answer came" (new) from "no network path" (checking).
        this.#watchdog = setTimeout(() => this.#fail(`media did not connect within ${MEDIA_CONNECT_TIMEOUT_MS / 1000} s`
            + ` (ICE state ${this.#peer.iceConnectionState})`), MEDIA_CONNECT_TIMEOUT_MS);

        this.#enqueue(async () => {
            const stream = await localStream;
            this.#addTracks(stream);
            // Only the first offer's maker needs the m-line: the other side answers what it is offered.
            if (video && offerer && stream.getTracks().every(track => track.kind !== "video")) {
                this.#peer.addTransceiver("video", { direction: "recvonly" });
            }
        });
    }

    /** Whether this side yields when both offer at once. */
    get polite() {
        return this.#polite;
    }

    receive({ description, candidate }) {
        if (description) {
            this.#enqueue(() => this.#acceptDescription(description));
        } else if (candidate) {
            this.#enqueue(() => this.#acceptCandidate(candidate));
        }
    }

    /** Sends the tracks of another stream (a camera, say): a renegotiation. */
    addStream(stream) {
        this.#enqueue(() => this.#addTracks(stream));
    }

    /**
     * Sends track (a camera) as this call's video, or stops sending video when track is null: a
     * renegotiation, except when one camera replaces another. Resolves once the track is on its sender.
     */
    sendVideo(track, stream) {
        return this.#enqueue(() => this.#sendVideo(track, stream));
    }

    /**
     * New ICE credentials and candidates on both sides, after a network change: a renegotiation.
     * iceServers, when given, replace the ones the call started with (TURN credentials expire).
     */
    restartIce(iceServers) {
        this.#enqueue(async () => {
            if (Array.isArray(iceServers)) {
                try {
                    this.#peer.setConfiguration({ ...this.#peer.getConfiguration(), iceServers });
                } catch (failure) {
                    log.warn("kept the old ICE servers:", failure.message);
                }
            }
            // An offer still unanswered (an earlier restart lost with the path) would hold the new one
            // back until it is answered, which may be never.
            if (this.#peer.signalingState === "have-local-offer") {
                await this.#peer.setLocalDescription({ type: "rollback" });
            }
            this.#peer.restartIce();
        });
    }

    /**
     * Hold: every sender stops sending (replaceTrack(null)), without renegotiating, so the other side
     * hears nothing; resumeSending() puts the same tracks back.
     */
    pauseSending() {
        this.#enqueue(async () => {
            if (this.#pausedTracks !== null) {
                return;
            }
            this.#pausedTracks = new Map();
            for (const sender of this.#peer.getSenders()) {
                if (sender.track) {
                    this.#pausedTracks.set(sender, sender.track);
                    await sender.replaceTrack(null);
                }
            }
        });
    }

    resumeSending() {
        this.#enqueue(async () => {
            const paused = this.#pausedTracks;
            this.#pausedTracks = null;
            for (const [sender, track] of paused || []) {
                await sender.replaceTrack(track);
            }
        });
    }

    /**
     * Sends DTMF digits as RFC 4733 events on the audio sender, once the local tracks are in. A
     * browser that cannot (no audio sender, no telephone-event negotiated, a held call's empty
     * sender) is logged and skipped: the digits also travel as a message.
     */
    insertDtmf(digits) {
        this.#enqueue(async () => {
            const sender = this.#peer.getSenders().find(candidate => candidate.dtmf);
            try {
                if (!sender || sender.dtmf.canInsertDTMF === false) {
                    throw new Error("no audio sender can send DTMF now");
                }
                sender.dtmf.insertDTMF(digits);
            } catch (failure) {
                log.debug(`DTMF ${digits} not sent as tones: ${failure.message || failure}`);
            }
        });
    }

    /** The call's quality now (see quality.js); rates and loss since the previous reading. */
    async quality() {
        const now = readQuality(await this.#peer.getStats());
        const quality = callQuality(now, this.#lastReading);
        this.#lastReading = now;
        return quality;
    }

    close() {
        this.#closed = true;
        clearTimeout(this.#watchdog);
        this.#stopRecovery();
        this.#peer.close();
    }

    // Every operation runs after the previous one: a candidate must not overtake the description
    // it belongs to, an offer must wait for the local tracks, and an offer that arrives while this
    // side is making its own sees the collision in the signalling state.
    #enqueue(operation) {
        this.#work = this.#work
            .then(() => this.#closed ? undefined : operation())
            .catch(failure => this.#fail(`negotiation failed: ${failure.message || failure}`));
        return this.#work;
    }

    #addTracks(stream) {
        stream.getTracks().forEach(track => this.#peer.addTrack(track, stream));
    }

    // The m-line that carries video: the one sending a camera, else the first of kind video (made by
    // an earlier camera, by a video call's offer, or by the other side's offer).
    #videoTransceiver() {
        const video = this.#peer.getTransceivers().filter(transceiver => transceiver.receiver.track.kind === "video"
            && transceiver.currentDirection !== "stopped");
        return video.find(transceiver => transceiver.sender.track) || video[0] || null;
    }

    async #sendVideo(track, stream) {
        const transceiver = this.#videoTransceiver();
        if (!transceiver) {
            if (track) {
                const sender = this.#peer.addTrack(track, stream);
                // A camera turned on while held waits for the end of the hold, like the microphone.
                if (this.#pausedTracks !== null) {
                    this.#pausedTracks.set(sender, track);
                    await sender.replaceTrack(null);
                }
            }
            return;
        }
        if (this.#pausedTracks !== null) {
            this.#pausedTracks.set(transceiver.sender, track);
        } else {
            await transceiver.sender.replaceTrack(track);
        }
        const receives = transceiver.direction === "sendrecv" || transceiver.direction === "recvonly";
        const wanted = track ? (receives ? "sendrecv" : "sendonly") : (receives ? "recvonly" : "inactive");
        // A new direction renegotiates (negotiationneeded); a camera swapped for another does not.
        if (transceiver.direction !== wanted) {
            transceiver.direction = wanted;
        }
    }

    // After a negotiation: what the other side sends now, as both sides agreed.
    #reportRemoteVideo() {
        const tracks = this.#peer.getTransceivers()
            .filter(transceiver => transceiver.receiver.track.kind === "video"
                && (transceiver.currentDirection === "sendrecv" || transceiver.currentDirection === "recvonly"))
            .map(transceiver => transceiver.receiver.track);
        const ids = tracks.map(track => track.id).join(" ");
        if (ids !== this.#remoteVideo) {
            this.#remoteVideo = ids;
            this.#callbacks.onRemoteVideo(tracks);
        }
    }

    // negotiationneeded is queued by the browser and may be stale by the time it runs: the browser
    // fires it again once the state is stable if the change is still not negotiated.
    async #offer() {
        if (this.#peer.signalingState !== "stable" || (this.#polite && !this.#established)) {
            return;
        }
        await this.#peer.setLocalDescription();
        if (this.#peer.localDescription && this.#peer.localDescription.type === "offer") {
            this.#callbacks.onSignal({ description: plainDescription(this.#peer.localDescription) });
        }
    }

    async #acceptDescription(description) {
        const collision = description.type === "offer" && this.#peer.signalingState !== "stable";
        this.#ignoringOffer = collision && !this.#polite;
        if (this.#ignoringOffer) {
            log.debug("ignored the other party's offer: both offered at once, and the other side yields");
            return;
        }
        if (description.type === "answer" && this.#peer.signalingState !== "have-local-offer") {
            log.warn(`ignored an answer in signalling state ${this.#peer.signalingState}`);
            return;
        }
        if (collision) {
            await this.#peer.setLocalDescription({ type: "rollback" });
        }
        await this.#peer.setRemoteDescription(description);
        if (description.type === "offer") {
            await this.#peer.setLocalDescription();
            this.#callbacks.onSignal({ description: plainDescription(this.#peer.localDescription) });
        }
        if (this.#peer.signalingState === "stable") {
            this.#established = true;
            this.#reportRemoteVideo();
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
            if (!this.#ignoringOffer) {
                log.warn("ignored an ICE candidate the browser refused:", failure.message);
            }
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

    #iceStateChanged() {
        const state = this.#peer.iceConnectionState;
        const recovery = this.#recovery;
        if (state === "connected" || state === "completed") {
            clearTimeout(this.#watchdog);
            if (recovery.deadline !== null) {
                log.info("the media path is back");
            }
            recovery.everConnected = true;
            this.#stopRecovery();
        } else if (state === "failed" && !recovery.everConnected) {
            this.#fail("ICE failed: no network path to the other party");
        } else if (state === "failed") {
            this.#recover();
        } else if (state === "disconnected" && recovery.everConnected && recovery.grace === null) {
            recovery.grace = setTimeout(() => {
                recovery.grace = null;
                if (this.#peer.iceConnectionState === "disconnected") {
                    this.#recover();
                }
            }, DISCONNECTED_GRACE_MS);
        }
    }

    #recover() {
        const recovery = this.#recovery;
        if (this.#closed || recovery.deadline !== null) {
            return;
        }
        log.warn(`the media path was lost (ICE state ${this.#peer.iceConnectionState}); `
            + (this.#polite ? "expecting the other side to restart ICE" : "restarting ICE"));
        // Until the path is back (which stops the recovery) or the deadline ends the call.
        const restartUntilBack = () => {
            recovery.restart = null;
            this.restartIce();
            recovery.retry = setTimeout(restartUntilBack, ICE_RESTART_RETRY_MS);
        };
        if (this.#polite) {
            // Cancelled when the path comes back, usually through the offerer's restart.
            recovery.restart = setTimeout(restartUntilBack, POLITE_RESTART_DELAY_MS);
        } else {
            restartUntilBack();
        }
        recovery.deadline = setTimeout(() => this.#fail(`the media path was lost and did not come back within `
            + `${MEDIA_RECOVERY_TIMEOUT_MS / 1000} s (ICE state ${this.#peer.iceConnectionState})`), MEDIA_RECOVERY_TIMEOUT_MS);
    }

    #stopRecovery() {
        const recovery = this.#recovery;
        for (const timer of ["grace", "restart", "retry", "deadline"]) {
            clearTimeout(recovery[timer]);
            recovery[timer] = null;
        }
    }

    #fail(reason) {
        if (!this.#closed) {
            this.close();
            this.#callbacks.onFailure(reason);
        }
    }
}
