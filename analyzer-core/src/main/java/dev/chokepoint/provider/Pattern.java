package dev.chokepoint.provider;

/**
 * One fingerprint: evidence of {@code kind} that matches {@code value} means the organisation's service operates it.
 *
 * @param organisation the organisation
 * @param service the service the evidence points to
 * @param kind which evidence the pattern applies to
 * @param value a label-aligned domain suffix (a {@code *} in a label stands for digits), or {@code AS<number>}
 * @param product the product name, for example {@code Route 53}; empty if none
 * @param source where the fact comes from
 * @param location the dataset file and line, for explanations
 */
public record Pattern(
        Organisation organisation,
        Service service,
        PatternKind kind,
        String value,
        String product,
        String source,
        String location) {

    /** The provider this pattern attributes evidence to. */
    public Provider provider() {
        return new Provider(organisation.id(), organisation.name(), service, true);
    }

    /** Describes the rule for an explanation, for example {@code ns suffix ns.cloudflare.com (patterns.csv:12)}. */
    public String describe() {
        String what =
                switch (kind) {
                    case ASN -> "asn " + value;
                    case HEADER -> "header " + value;
                    case ISSUER -> "issuer '" + value + "'";
                    default -> kind.id() + " suffix " + value;
                };
        return what + (product.isEmpty() ? "" : " [" + product + "]") + " (" + location + ")";
    }
}
