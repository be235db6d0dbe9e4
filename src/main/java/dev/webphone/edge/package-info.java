/**
 * The WebSocket edge both modes share: how browsers' connections are upgraded, kept alive, timed out
 * and written to without ever waiting, whether the line behind them is embedded or a relayed phone
 * system. Knows nothing of the signalling protocol.
 */
package dev.webphone.edge;
