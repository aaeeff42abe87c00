package dev.chokepoint.dns;

/** Asks DNS questions. Implementations are thread-safe and never throw for what the network says. */
public interface DnsClient {
    /** Asks {@code question} and returns what came back; failures to get an answer are outcomes, not exceptions. */
    DnsOutcome query(Question question);
}
