// Who else is online on the line, and the onClientStateChanged subscribers.
// Unlike other events, client states are replayed: the tutorial subscribes only once access is
// granted, by which time the server may already have listed the clients that were online. So each
// subscriber gets the current roster once on subscription, then every change, and never the same
// status twice in a row for one number.
class ClientRoster {
    #online = new Map();
    #subscribers = [];

    subscribe(handler) {
        if (!requireHandler("onClientStateChanged", handler)) {
            return;
        }
        const subscriber = { handler, lastStatus: new Map() };
        this.#subscribers.push(subscriber);
        for (const info of this.#online.values()) {
            this.#deliver(subscriber, info);
        }
    }

    update(phoneNumber, status, properties) {
        // Properties are spread first so a client cannot override its number or status with them.
        const info = Object.freeze({ ...properties, phoneNumber, status });
        if (status === "ONLINE") {
            this.#online.set(phoneNumber, info);
        } else {
            this.#online.delete(phoneNumber);
        }
        this.#subscribers.forEach(subscriber => this.#deliver(subscriber, info));
    }

    // Everyone online, as the server lists them: whoever is not listed has gone.
    replace(clients) {
        const listed = new Set(clients.map(client => client.phoneNumber));
        Array.from(this.#online.values())
            .filter(info => !listed.has(info.phoneNumber))
            .forEach(info => this.update(info.phoneNumber, "OFFLINE", {}));
        clients.forEach(client => this.update(client.phoneNumber, client.status, client.properties));
    }

    // A new connection starts from an empty roster; the server lists everyone again after
    // access-granted, and subscribers must hear about them again.
    reset() {
        this.#online.clear();
        this.#subscribers.forEach(subscriber => subscriber.lastStatus.clear());
    }

    #deliver(subscriber, info) {
        deliverLater(() => {
            if (subscriber.lastStatus.get(info.phoneNumber) === info.status) {
                return;
            }
            subscriber.lastStatus.set(info.phoneNumber, info.status);
            invokeHandler("onClientStateChanged", subscriber.handler, info);
        });
    }
}
