package dev.chokepoint.provider;

import java.util.Objects;

/**
 * A network as the ASN table names it: an autonomous system number and the organisation registered for it.
 *
 * @param asn the AS number, 0 to 4294967295 (32-bit ASNs are unsigned, so they need a {@code long})
 * @param organisation the registrant organisation as the table spells it, for example {@code Cloudflare, Inc.};
 *     may be empty but never null
 */
public record AsnRecord(long asn, String organisation) {
    static final long MAX_ASN = 0xFFFF_FFFFL;

    /** Rejects AS numbers outside the 32-bit range and a null organisation. */
    public AsnRecord {
        if (asn < 0 || asn > MAX_ASN) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
        Objects.requireNonNull(organisation, "organisation");
    }

    /** Returns the conventional display form, for example {@code AS13335 Cloudflare, Inc.}. */
    @Override
    public String toString() {
        return organisation.isEmpty() ? "AS" + asn : "AS" + asn + " " + organisation;
    }
}
