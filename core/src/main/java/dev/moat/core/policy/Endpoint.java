package dev.moat.core.policy;

import java.util.Objects;

/**
 * A remote audit collector.
 *
 * @param host host name or IP address
 * @param port TCP port, 1 to 65535
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
