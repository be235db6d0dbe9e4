// Event delivery. Every handler runs asynchronously, in emission order, from one shared queue:
// pages register handlers after the call that triggers them (call.start(); call.onCallStateChanged(fn))
// and must still see the first event, and a throwing page handler must not break the library.

const pendingDeliveries = [];
let deliveryScheduled = false;

function deliverLater(task) {
    pendingDeliveries.push(task);
    if (!deliveryScheduled) {
        deliveryScheduled = true;
        // A microtask rather than setTimeout: timers are throttled in background tabs, and a call
        // state must not wait a second because the user switched tabs.
        queueMicrotask(drainDeliveries);
    }
}

function drainDeliveries() {
    deliveryScheduled = false;
    while (pendingDeliveries.length > 0) {
        pendingDeliveries.shift()();
    }
}

function invokeHandler(eventName, handler, value) {
    try {
        handler(value);
    } catch (failure) {
        log.error(`${eventName} handler threw:`, failure);
    }
}

function requireHandler(eventName, handler) {
    if (typeof handler !== "function") {
        log.warn(`${eventName} expects a function, got`, handler);
        return false;
    }
    return true;
}

// How many events a channel keeps for handlers not registered yet; the oldest go first.
const MAX_PARKED_EVENTS = 100;

// Handlers are additive. Events emitted while no handler exists are parked and handed to the first
// handler(s) registered; isStillRelevant lets a channel drop a parked event that went stale
// (an incoming call that stopped ringing before anyone listened).
class EventChannel {
    #name;
    #handlers = [];
    #parked = [];
    #isStillRelevant;

    constructor(name, isStillRelevant = () => true) {
        this.#name = name;
        this.#isStillRelevant = isStillRelevant;
    }

    add(handler) {
        if (!requireHandler(this.#name, handler)) {
            return;
        }
        this.#handlers.push(handler);
        this.#parked.splice(0).forEach(value => this.#scheduleDelivery(value));
    }

    emit(value) {
        if (this.#handlers.length === 0) {
            // A page that never listens must not make the client hold every event for ever.
            if (this.#parked.length >= MAX_PARKED_EVENTS) {
                this.#parked.shift();
            }
            this.#parked.push(value);
        } else {
            this.#scheduleDelivery(value);
        }
    }

    #scheduleDelivery(value) {
        deliverLater(() => {
            if (this.#isStillRelevant(value)) {
                this.#handlers.slice().forEach(handler => invokeHandler(this.#name, handler, value));
            }
        });
    }
}
