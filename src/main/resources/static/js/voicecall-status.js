// Shows on the voice call page what the tutorial only logs: this tab's number and who else is on the
// line. It uses the public API alongside the tutorial's own handlers (handlers are additive) and
// leaves calls alone, so the tutorial's code decides everything.
(function () {
    "use strict";
    const status = document.getElementById("webphone-status");
    const others = new Set();
    let self = "Connecting...";

    function render() {
        const online = others.size === 0
            ? "Nobody else is online yet: open this page in a second tab."
            : `Online: ${Array.from(others).join(", ")}.`;
        status.textContent = `${self} ${online}`;
    }

    OzWebClient.onUserInfoReceived(info => {
        self = `This tab is number ${info.phoneNumber}.`;
        render();
    });
    OzWebClient.onClientStateChanged(client => {
        if (client.status === "ONLINE") {
            others.add(client.phoneNumber);
        } else {
            others.delete(client.phoneNumber);
        }
        render();
    });
    OzWebClient.onConnectionStateChanged(state => {
        if (state != ConnectionState.ACCESS_GRANTED) {
            self = `Not connected (${state}${state.reason ? ": " + state.reason : ""}).`;
            others.clear();
            render();
        }
    });
    render();
})();
