// What keeps a page on its number when its connection breaks: when to try again (exponential
// back-off with jitter, so that the browsers of a restarted server do not all come back in the same
// instant), and where a tab keeps its resume secret across a reload.

// Settings a page may change with OzWebClient.setReconnect({...}) before connect().
const RECONNECT_DEFAULTS = Object.freeze({
    enabled: true,
    // The first attempt waits this long; each further one twice as long, up to maxDelayMs.
    initialDelayMs: 250,
    maxDelayMs: 8000,
    // Each wait is drawn between (1 - jitter) and 1 times the back-off.
    jitter: 0.5
});

class ReconnectPolicy {
    #settings;

    constructor(settings) {
        this.#settings = settings;
    }

    get settings() {
        return this.#settings;
    }

    get enabled() {
        return this.#settings.enabled !== false;
    }

    // The wait before attempt number `attempt` (0 for the first).
    delay(attempt) {
        const { initialDelayMs, maxDelayMs, jitter } = this.#settings;
        const backOff = Math.min(maxDelayMs, initialDelayMs * Math.pow(2, Math.min(attempt, 20)));
        return Math.round(backOff * (1 - jitter * Math.random()));
    }

    static settings(current, changes) {
        const next = { ...current };
        for (const key of Object.keys(RECONNECT_DEFAULTS)) {
            if (changes && changes[key] !== undefined) {
                next[key] = key === "enabled" ? changes[key] !== false : Number(changes[key]);
            }
        }
        if (!(next.initialDelayMs > 0) || !(next.maxDelayMs >= next.initialDelayMs) || !(next.jitter >= 0 && next.jitter <= 1)) {
            log.warn("setReconnect() ignored: delays must be positive, maxDelayMs >= initialDelayMs, 0 <= jitter <= 1");
            return current;
        }
        return Object.freeze(next);
    }
}

// The secret lives in memory while the page runs and is written to sessionStorage only as the page
// goes away (pagehide), then taken out (read and removed) by the next page's connect(). A tab duplicated
// while the page runs therefore finds nothing and gets a number of its own, as a second tab does,
// instead of taking this tab's number away.
const RESUME_STORAGE_PREFIX = "webphone.resume:";

class ResumeStore {
    static take(url, line) {
        try {
            const key = RESUME_STORAGE_PREFIX + url + "|" + line;
            const stored = window.sessionStorage.getItem(key);
            window.sessionStorage.removeItem(key);
            const record = stored ? JSON.parse(stored) : null;
            if (record && typeof record.secret === "string" && record.expires > Date.now()) {
                return record.secret;
            }
        } catch (failure) {
            log.debug("no resume secret from sessionStorage:", failure.message);
        }
        return null;
    }

    static keep(url, line, secret, graceMs) {
        try {
            window.sessionStorage.setItem(RESUME_STORAGE_PREFIX + url + "|" + line,
                JSON.stringify({ secret, expires: Date.now() + graceMs }));
        } catch (failure) {
            log.debug("could not keep the resume secret in sessionStorage:", failure.message);
        }
    }
}
