// Local capture and remote playback. Pages contain no media code: the library asks for the
// microphone, plays what the other party sends and cleans both up when the call ends.

// The microphone (and camera for VIDEO) for one call. release() may come before the browser hands
// over the stream (the call ended while the permission prompt was open); the stream is then
// stopped on arrival instead of leaving the microphone on. The camera this side sends (camera)
// may change during the call (attachCamera, detachCamera); every one is stopped on release.
class LocalMedia {
    #stream = null;
    #released = false;
    #request;
    #camera = null;

    constructor(callType) {
        this.#request = requestUserMedia(callType).then(stream => {
            if (this.#released) {
                stopTracks(stream);
            } else {
                this.#stream = stream;
                this.#camera = stream.getTracks().find(track => track.kind === "video") || null;
            }
            return stream;
        });
    }

    /** A promise of the stream the call sends: the microphone, and the camera of a video call. */
    get stream() {
        return this.#request;
    }

    get released() {
        return this.#released;
    }

    /** The video track this side sends now, or null. */
    get camera() {
        return this.#camera;
    }

    /** Takes track (or null: none) as the camera this side sends; the caller stops the one it replaces. */
    set camera(track) {
        if (this.#released && track) {
            track.stop();
            return;
        }
        this.#camera = track;
    }

    release() {
        this.#released = true;
        if (this.#stream) {
            stopTracks(this.#stream);
            this.#stream = null;
        }
        if (this.#camera) {
            this.#camera.stop();
            this.#camera = null;
        }
    }
}

// A video call without a usable camera (none, busy, or refused) still goes ahead with sound: the
// other side's video is shown all the same, and attachCamera() can try again later.
function requestUserMedia(callType) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        // Browsers hide mediaDevices on insecure origins (plain http to a LAN address).
        return Promise.reject(new Error(
            "this page cannot use the microphone: serve it over https or from localhost"));
    }
    const microphone = () => navigator.mediaDevices.getUserMedia({ audio: true })
        .catch(failure => {
            throw new Error(`microphone unavailable (${failure.name}: ${failure.message})`);
        });
    if (callType !== CallType.VIDEO) {
        return microphone();
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: true }).catch(failure => {
        log.warn(`camera unavailable (${failure.name}: ${failure.message}); the video call goes on without sending video`);
        return microphone();
    });
}

function stopTracks(stream) {
    stream.getTracks().forEach(track => track.stop());
}

// The <audio> element playing the other party. It carries data-webphone-remote and data-call-id
// so that pages and tests can find it.
class RemotePlayback {
    #element = null;
    #callId;

    constructor(callId) {
        this.#callId = callId;
    }

    play(stream) {
        if (!this.#element) {
            this.#element = document.createElement("audio");
            this.#element.autoplay = true;
            this.#element.setAttribute("data-webphone-remote", "");
            this.#element.setAttribute("data-call-id", this.#callId);
            (document.body || document.documentElement).appendChild(this.#element);
        }
        if (this.#element.srcObject === stream) {
            return;
        }
        this.#element.srcObject = stream;
        this.#element.play().catch(failure => this.#retryAfterGesture(failure));
    }

    stop() {
        if (this.#element) {
            this.#element.srcObject = null;
            this.#element.remove();
            this.#element = null;
        }
    }

    // Autoplay policies may refuse sound until the user interacts with the page.
    #retryAfterGesture(failure) {
        if (failure.name !== "NotAllowedError" || !this.#element) {
            return;
        }
        log.warn("the browser blocked call audio until the page is clicked");
        const element = this.#element;
        document.addEventListener("click", () => element.play().catch(() => {}), { once: true });
    }
}
