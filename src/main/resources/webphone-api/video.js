// Video of a call: the camera this side asks for, and the <video> elements that show the other
// party (setRemoteDisplay) and this side's own camera (setLocalDisplay, ours). Sound never goes
// through these elements: the remote <audio> element of media.js plays it, so a display holds only
// video tracks and is muted, which also lets browsers play it without a click.

/** The camera could not be had: refused, absent, busy, or the page is not a secure origin. */
class CameraError extends Error {
    constructor(message, cause) {
        super(message);
        this.name = "CameraError";
        // The browser's own name for the failure (NotAllowedError, NotFoundError, NotReadableError, ...).
        this.reason = cause || null;
    }
}

// attachCamera(camera): nothing for the default camera, a device id, a MediaDeviceInfo of
// enumerateDevices(), or MediaTrackConstraints.
function cameraConstraints(camera) {
    if (camera === undefined || camera === null || camera === "") {
        return true;
    }
    if (typeof camera === "string") {
        return { deviceId: { exact: camera } };
    }
    if (typeof camera === "object" && typeof camera.deviceId === "string" && camera.kind === "videoinput") {
        return { deviceId: { exact: camera.deviceId } };
    }
    return camera;
}

/** A promise of a stream with one camera track; rejects with a CameraError. */
function requestCamera(camera) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        return Promise.reject(new CameraError(
            "this page cannot use the camera: serve it over https or from localhost", "SecurityError"));
    }
    return navigator.mediaDevices.getUserMedia({ video: cameraConstraints(camera) }).then(stream => {
        if (stream.getTracks().some(track => track.kind === "video")) {
            return stream;
        }
        stopTracks(stream);
        throw new CameraError("camera unavailable: the browser gave no video track", "NotFoundError");
    }, failure => {
        throw new CameraError(`camera unavailable (${failure.name}: ${failure.message})`, failure.name);
    });
}

// One place a call's video is shown: the element the page named by id (or gave), the video tracks to
// show there, and the <video> element this shows them in: the page's own when it named a <video>,
// else one created inside the named element (data-webphone-video="remote" or "local", data-call-id),
// removed again when there is nothing to show. The page may name the element before the video
// arrives, after, or again elsewhere; a name with no element yet is looked up again at each change.
class VideoDisplay {
    #callId;
    #role;
    #target = null;
    #tracks = [];
    #video = null;
    #created = false;

    constructor(callId, role) {
        this.#callId = callId;
        this.#role = role;
    }

    /** Shows this display's video in target (an element id, an element, or null for nowhere). */
    showIn(target) {
        const wanted = target === undefined || target === "" ? null : target;
        // The same element again: what it shows stays, without a flicker.
        if (wanted === this.#target && this.#video) {
            return;
        }
        this.#clear();
        this.#target = wanted;
        this.#render();
    }

    /** The tracks to show; none clears the display. */
    show(tracks) {
        this.#tracks = tracks.filter(track => track && track.kind === "video");
        this.#render();
    }

    stop() {
        this.#tracks = [];
        this.#clear();
    }

    #render() {
        if (this.#target === null || this.#tracks.length === 0) {
            this.#clear();
            return;
        }
        const video = this.#videoElement();
        if (!video) {
            return;
        }
        const showing = video.srcObject ? video.srcObject.getTracks() : [];
        if (showing.length === this.#tracks.length && showing.every(track => this.#tracks.includes(track))) {
            return;
        }
        video.srcObject = new MediaStream(this.#tracks);
        video.play().catch(failure => log.debug(`the ${this.#role} video did not start: ${failure.message}`));
    }

    #videoElement() {
        if (this.#video) {
            return this.#video;
        }
        const element = typeof this.#target === "string" ? document.getElementById(this.#target) : this.#target;
        if (!element) {
            log.warn(`no element with id "${this.#target}" to show the ${this.#role} video of call ${this.#callId} in`);
            return null;
        }
        this.#created = element.tagName !== "VIDEO";
        const video = this.#created ? document.createElement("video") : element;
        video.autoplay = true;
        video.playsInline = true;
        video.muted = true;
        if (this.#created) {
            video.setAttribute("data-webphone-video", this.#role);
            video.setAttribute("data-call-id", this.#callId);
            element.appendChild(video);
        }
        this.#video = video;
        return video;
    }

    #clear() {
        if (!this.#video) {
            return;
        }
        this.#video.srcObject = null;
        if (this.#created) {
            this.#video.remove();
        }
        this.#video = null;
        this.#created = false;
    }
}
