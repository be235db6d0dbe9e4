package dev.webphone.ice;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * STUN and TURN servers handed to every browser when it joins a line ({@code webphone.ice.*}).
 *
 * @param servers the servers, in the order the browser should try them; none by default, which is
 * enough on one machine or a LAN
 */
@ConfigurationProperties("webphone.ice")
public record IceProperties(@DefaultValue List<IceServer> servers) {

}
