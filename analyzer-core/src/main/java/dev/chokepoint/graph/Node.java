package dev.chokepoint.graph;

import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;

/** A vertex of the dependency graph: an immutable value, equal when it names the same thing. */
public sealed interface Node {
    /** A stable identifier, unique in a graph, for exports. */
    String id();

    /** A short label for people. */
    String label();

    /** The kind of vertex, for exports and filters. */
    NodeKind kind();

    /**
     * An audited site.
     *
     * @param domain the site's ASCII domain name
     */
    record Site(String domain) implements Node {
        @Override
        public String id() {
            return "site:" + domain;
        }

        @Override
        public String label() {
            return domain;
        }

        @Override
        public NodeKind kind() {
            return NodeKind.SITE;
        }
    }

    /**
     * A service that a subject needs: a site's DNS, or the DNS of a provider's own zone (an indirect dependency).
     *
     * @param subject the site domain or zone apex that needs the service
     * @param service the service
     */
    record Need(String subject, Service service) implements Node {
        @Override
        public String id() {
            return "service:" + subject + ":" + service.id();
        }

        @Override
        public String label() {
            return service.label() + " of " + subject;
        }

        @Override
        public NodeKind kind() {
            return NodeKind.SERVICE;
        }
    }

    /**
     * A host name: a nameserver, a web entry point or CNAME hop, a mail exchanger, an SPF include or a CA domain.
     *
     * @param name lower case, without the trailing dot
     */
    record Host(String name) implements Node {
        @Override
        public String id() {
            return "host:" + name;
        }

        @Override
        public String label() {
            return name;
        }

        @Override
        public NodeKind kind() {
            return NodeKind.HOST;
        }
    }

    /**
     * An IP address.
     *
     * @param address the textual form
     */
    record Address(String address) implements Node {
        @Override
        public String id() {
            return "address:" + address;
        }

        @Override
        public String label() {
            return address;
        }

        @Override
        public NodeKind kind() {
            return NodeKind.ADDRESS;
        }
    }

    /**
     * An autonomous system.
     *
     * @param asn the AS number
     * @param organisation the registrant named by the IP-to-ASN table
     */
    record Network(long asn, String organisation) implements Node {
        @Override
        public String id() {
            return "network:AS" + asn;
        }

        @Override
        public String label() {
            return "AS" + asn + " " + organisation;
        }

        @Override
        public NodeKind kind() {
            return NodeKind.NETWORK;
        }
    }

    /**
     * A provider: one service of one organisation.
     *
     * @param provider the provider
     */
    record Operator(Provider provider) implements Node {
        @Override
        public String id() {
            return "provider:" + provider.id();
        }

        @Override
        public String label() {
            return provider.displayName();
        }

        @Override
        public NodeKind kind() {
            return NodeKind.PROVIDER;
        }
    }
}
