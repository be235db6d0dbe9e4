#!/bin/sh
# Writes Janus's configuration from the environment, then runs Janus in the foreground.
#   JANUS_PUBLIC_IP     the address browsers and phones reach this host at (nat_1_1_mapping); empty: none
#   JANUS_RTP_PORTS     the WebRTC side's UDP ports (published 1:1 by compose), default 10000-10099
#   JANUS_SIP_RTP_PORTS the SIP side's UDP ports (the phones'), default 10100-10199
#   JANUS_SIP_LOCAL_IP  the SIP plugin's address for SIP and RTP; default: this container's
#   JANUS_API_SECRET    the HTTP API's api_secret (webphone.sip.api-secret); empty: none
set -eu
conf=/var/lib/janus/conf
mkdir -p "$conf"
lib=/usr/lib/x86_64-linux-gnu/janus
[ -d "$lib" ] || lib=$(dirname "$(dirname "$(find /usr/lib -name 'libjanus_sip.so' | head -1)")")
local_ip=${JANUS_SIP_LOCAL_IP:-$(hostname -i | cut -d' ' -f1)}
nat=""
[ -z "${JANUS_PUBLIC_IP:-}" ] || nat="nat_1_1_mapping = \"$JANUS_PUBLIC_IP\""
secret=""
[ -z "${JANUS_API_SECRET:-}" ] || secret="api_secret = \"$JANUS_API_SECRET\""
cat > "$conf/janus.jcfg" <<JCFG
general: {
	configs_folder = "$conf"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	debug_level = 4
	server_name = "webphone-janus"
	$secret
}
media: {
	rtp_port_range = "${JANUS_RTP_PORTS:-10000-10099}"
}
nat: {
	$nat
	ice_ignore_list = "vmnet"
}
plugins: {
	disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_videoroom.so,libjanus_voicemail.so"
}
transports: {
	disable = "libjanus_websockets.so,libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so"
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
events: {
	broadcast = false
}
JCFG
cat > "$conf/janus.transport.http.jcfg" <<JCFG
general: {
	json = "plain"
	base_path = "/janus"
	http = true
	port = 8088
	https = false
}
admin: {
	admin_http = false
}
JCFG
cat > "$conf/janus.plugin.sip.jcfg" <<JCFG
general: {
	local_ip = "$local_ip"
	${JANUS_PUBLIC_IP:+sdp_ip = \"$JANUS_PUBLIC_IP\"}
	keepalive_interval = 120
	behind_nat = false
	register_ttl = 3600
	rtp_port_range = "${JANUS_SIP_RTP_PORTS:-10100-10199}"
}
JCFG
exec janus -F "$conf" -C "$conf/janus.jcfg" -o
