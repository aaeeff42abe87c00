package dev.chokepoint.testdns;

import java.nio.file.Path;
import java.util.List;

/**
 * A named.conf that keeps BIND on 127.0.0.1 and inside its work directory.
 *
 * <p>Besides listening only on loopback it turns off everything that would make named talk to
 * other hosts or touch /etc/bind and /run/named: NOTIFY (which would go to the fixtures' NS
 * addresses), the rndc control channel (port 953, shared by every instance), recursion and
 * validation; every outgoing query is additionally vetoed by marking all servers bogus.
 */
record NamedConfig(Path workDirectory, int port, List<ZoneFile> zones) {

    private static final String OPTIONS =
            """
            options {
                directory %1$s;
                listen-on port %2$d { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                notify no;
                pid-file %3$s;
                session-keyfile %4$s;
                managed-keys-directory %1$s;
                dump-file %5$s;
                statistics-file %6$s;
            };
            controls { };
            server 0.0.0.0/0 { bogus yes; };
            """;

    private static final String ZONE = "zone %s { type primary; file %s; };\n";

    NamedConfig {
        zones = List.copyOf(zones);
    }

    /** The configuration file text. */
    String render() {
        StringBuilder conf = new StringBuilder(OPTIONS.formatted(
                quoted(workDirectory),
                port,
                quoted(workDirectory.resolve("named.pid")),
                quoted(workDirectory.resolve("session.key")),
                quoted(workDirectory.resolve("named_dump.db")),
                quoted(workDirectory.resolve("named.stats"))));
        for (ZoneFile zone : zones) {
            conf.append(ZONE.formatted(quoted(zone.origin()), quoted(zone.path())));
        }
        return conf.toString();
    }

    private static String quoted(Object value) {
        String text = value.toString();
        if (text.contains("\"") || text.contains("\\")) {
            throw new IllegalArgumentException("cannot quote for named.conf: " + text);
        }
        return "\"" + text + "\"";
    }
}
