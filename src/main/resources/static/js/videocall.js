// The video call page: the flow of the tutorial's Part 4, "Video call between two webbrowsers", in
// the Part 3 style (two tabs, the other tab's number from onClientStateChanged, a random delay
// deciding who dials), with createCall(number, CallType.VIDEO) and setRemoteDisplay. It is our own
// page, so its script is this file rather than inline code: the page gets the strict
// Content-Security-Policy.
(function () {
    "use strict";

    const body = document.body;
    const status = document.getElementById("status");
    let myCall = null;
    let other = null;
    let ownNumber = null;
    // As in the tutorial: 0 to 200 ms, so that two tabs opened together rarely dial at once (and when
    // they do, the line connects them anyway).
    const delay = Math.floor(Math.random() * 201);

    function show(text) {
        status.textContent = text;
        console.log(text);
    }

    function follow(call) {
        myCall = call;
        call.setRemoteDisplay("remote-video");
        call.setLocalDisplay("local-video");
        call.onCallStateChanged(state => {
            console.log(state);
            if (state == CallState.IN_CALL) {
                show(`In a video call with ${call.getOtherParty()}.`);
            } else if (state != CallState.RINGING && state != CallState.HOLD) {
                show(`The call ended (${state}${call.getEndReason() ? ": " + call.getEndReason() : ""}).`);
                setTimeout(hangUp, 1000);
            }
        });
        call.onCallTypeChanged(type => console.log(`call type ${type}`));
    }

    function startCall() {
        if (other && other.status == "ONLINE" && myCall == null) {
            const call = OzWebClient.createCall(other.phoneNumber, CallType.VIDEO);
            follow(call);
            call.start();
            show(`Calling ${other.phoneNumber}...`);
        }
    }

    function hangUp() {
        if (myCall) {
            myCall.hangUp();
            myCall = null;
            document.getElementById("header").textContent = "The call is hung up.";
        }
        OzWebClient.disconnect();
    }

    OzWebClient.onConnectionStateChanged(state => {
        console.log(String(state));
        if (state == ConnectionState.ACCESS_GRANTED) {
            show(`This tab is number ${ownNumber || "..."}; open this page in a second tab to call it.`);
        } else if (!myCall) {
            show(`Not connected (${state}${state.reason ? ": " + state.reason : ""}).`);
        }
    });
    OzWebClient.onUserInfoReceived(info => {
        ownNumber = info.phoneNumber;
        if (!myCall) {
            show(`This tab is number ${ownNumber}; open this page in a second tab to call it.`);
        }
    });
    OzWebClient.onClientStateChanged(client => {
        other = client;
        setTimeout(startCall, delay);
    });
    OzWebClient.onIncomingCall(call => {
        if (myCall == null) {
            follow(call);
            show(`Accepting a video call from ${call.getOtherParty()}...`);
            call.accept();
        } else {
            call.reject();
        }
    });
    document.getElementById("hang-up").addEventListener("click", hangUp);

    OzWebClient.connect(body.dataset.serverAddress || location.hostname, body.dataset.line);
})();
