// Shows on the voice call page what the tutorial only logs: this tab's number, who else is on the
// line, and the call this tab is in. It uses the public API alongside the tutorial's own handlers (handlers are additive) and
// leaves calls alone, so the tutorial's code decides everything.
(function () {
    "use strict";
    const status = document.getElementById("webphone-status");
    const others = new Set();
    let self = "Connecting...";
    let inCallWith = null;

    function render() {
        const online = others.size === 0
            ? "Nobody else is online yet: open this page in a second tab."
            : `Online: ${Array.from(others).join(", ")}.`;
        const call = inCallWith ? ` In a call with ${inCallWith}.` : "";
        status.textContent = `${self} ${online}${call}`;
    }

    OzWebClient.onCall(call => {
        call.onCallStateChanged(state => {
            if (state == CallState.IN_CALL || state == CallState.HOLD) {
                inCallWith = call.getOtherParty();
            } else if (state != CallState.RINGING && inCallWith === call.getOtherParty()) {
                inCallWith = null;
            }
            render();
        });
    });

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
