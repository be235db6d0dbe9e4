// One prefix for everything the library prints, so its lines stand out among the page's own.
const log = Object.freeze({
    debug: (...args) => console.debug("[WebphoneAPI]", ...args),
    info: (...args) => console.info("[WebphoneAPI]", ...args),
    warn: (...args) => console.warn("[WebphoneAPI]", ...args),
    error: (...args) => console.error("[WebphoneAPI]", ...args)
});
