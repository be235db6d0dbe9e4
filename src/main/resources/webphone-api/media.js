// Local capture and remote playback. Pages contain no media code: the library asks for the
// microphone, plays what the other party sends and cleans both up when the call ends.

// The microphone (and camera for VIDEO) for one call. release() may come before the browser hands
// over the stream (the call ended while the permission prompt was open); the stream is then
// stopped on arrival instead of leaving the microphone on.
class LocalMedia {
    #stream = null;
    #released = false;
    #request;

    constructor(callType) {
        this.#request = requestUserMedia(callType).then(stream => {
            if (this.#released) {
                stopTracks(stream);
            } else {
                this.#stream = stream;
            }
            return stream;
        });
    }

    get stream() {
        return this.#request;
    }

    release() {
        this.#released = true;
        if (this.#stream) {
            stopTracks(this.#stream);
            this.#stream = null;
        }
    }
}

function requestUserMedia(callType) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        // Browsers hide mediaDevices on insecure origins (plain http to a LAN address).
        return Promise.reject(new Error(
            "this page cannot use the microphone: serve it over https or from localhost"));
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: callType === CallType.VIDEO })
        .catch(failure => {
            throw new Error(`microphone unavailable (${failure.name}: ${failure.message})`);
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
