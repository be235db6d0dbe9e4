package dev.webphone.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this server answers over HTTP ({@code webphone.http.*}).
 *
 * @param allowedHosts host names (patterns such as '*.example.com' allowed) browsers may use to
 * reach this server, checked against every request's Host header against DNS rebinding; address
 * literals, 'localhost' and this machine's host name are always allowed; '*' allows any name
 */
@ConfigurationProperties("webphone.http")
public record HttpProperties(@DefaultValue List<String> allowedHosts) {

}
