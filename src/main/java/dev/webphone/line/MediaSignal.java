package dev.webphone.line;

/**
 * A WebRTC negotiation payload (a session description or an ICE candidate) that the line relays
 * between the two parties of a call without reading it.
 */
public interface MediaSignal {

}
