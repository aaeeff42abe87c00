package dev.chokepoint.testdns;

/** The transport a query arrived on, as named in {@link ZoneServer#queryLog()}. */
enum Transport {
    UDP("udp"),
    TCP("tcp");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The lower-case name used in query log lines. */
    String label() {
        return label;
    }
}
