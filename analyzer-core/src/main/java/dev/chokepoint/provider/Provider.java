package dev.chokepoint.provider;

/**
 * One service of one organisation, the unit that fails in an outage: {@code cloudflare:dns} is a provider,
 * {@code cloudflare:cdn} another.
 *
 * @param organisationId the organisation's identifier, or for an operator not in the datasets a name derived from the
 *     evidence (a registrable domain, or {@code as64500})
 * @param name display name of the organisation
 * @param service the service
 * @param known whether the organisation is in the datasets
 */
public record Provider(String organisationId, String name, Service service, boolean known) {
    /** The identifier, {@code organisation:service}, as used in JSON and on the command line. */
    public String id() {
        return organisationId + ":" + service.id();
    }

    /** The display name with the service, for example {@code Cloudflare DNS}. */
    public String displayName() {
        return name + " " + service.label();
    }
}
