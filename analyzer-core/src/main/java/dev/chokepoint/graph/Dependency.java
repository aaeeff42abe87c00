package dev.chokepoint.graph;

import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import java.util.Optional;

/**
 * An edge: the source depends on the target. Edges compare by identity, never by their endpoints, as JGraphT expects.
 *
 * <p>A vertex works when every {@link Requirement#ALL} target works and, if it has {@link Requirement#ANY} targets,
 * at least one of them works: the alternatives of a service (its nameservers, its addresses) are redundant, anything
 * else is required.
 */
public final class Dependency {
    /** How a dependency combines with the source's other dependencies. */
    public enum Requirement {
        /** Required: the source fails when this target fails. */
        ALL,
        /** One alternative among the source's others: the source fails only when all of them fail. */
        ANY
    }

    /** Whether a failure here takes the source down or only degrades it. */
    public enum Strength {
        /** The source cannot work without it. */
        HARD,
        /** The source degrades without it. */
        SOFT
    }

    /** What the edge means. */
    public enum Relation {
        /** A site needs a service. */
        NEEDS,
        /** A service is served by a host. */
        SERVED_BY,
        /** A host name is an alias (CNAME) of another. */
        ALIAS_OF,
        /** A host name resolves to an address. */
        RESOLVES_TO,
        /** An address is announced by an autonomous system. */
        ROUTED_BY,
        /** A host or address is operated by a provider. */
        OPERATED_BY,
        /** A host name is resolved through the DNS of another zone. */
        RESOLVED_VIA
    }

    private final Relation relation;
    private final Requirement requirement;
    private final Strength strength;
    private final Party party;
    private final Evidence evidence;

    private Dependency(Relation relation, Requirement requirement, Strength strength, Party party, Evidence evidence) {
        this.relation = relation;
        this.requirement = requirement;
        this.strength = strength;
        this.party = party;
        this.evidence = evidence;
    }

    /** A hard dependency without attribution. */
    public static Dependency of(Relation relation, Requirement requirement) {
        return new Dependency(relation, requirement, Strength.HARD, null, null);
    }

    /** A dependency of the given strength without attribution. */
    public static Dependency of(Relation relation, Requirement requirement, Strength strength) {
        return new Dependency(relation, requirement, strength, null, null);
    }

    /** A required, hard {@link Relation#OPERATED_BY} edge with the attribution behind it. */
    public static Dependency operatedBy(Party party, Evidence evidence) {
        return new Dependency(Relation.OPERATED_BY, Requirement.ALL, Strength.HARD, party, evidence);
    }

    /** What the edge means. */
    public Relation relation() {
        return relation;
    }

    /** Whether the target is required or one alternative. */
    public Requirement requirement() {
        return requirement;
    }

    /** Whether the source goes down or only degrades without the target. */
    public Strength strength() {
        return strength;
    }

    /** For {@link Relation#OPERATED_BY}: whose infrastructure it is. */
    public Optional<Party> party() {
        return Optional.ofNullable(party);
    }

    /** For {@link Relation#OPERATED_BY}: the record and rule behind the attribution. */
    public Optional<Evidence> evidence() {
        return Optional.ofNullable(evidence);
    }

    @Override
    public String toString() {
        return relation + "(" + requirement + "," + strength + ")";
    }
}
