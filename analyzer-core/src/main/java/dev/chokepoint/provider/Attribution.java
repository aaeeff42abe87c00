package dev.chokepoint.provider;

/**
 * A host or address attributed to the provider that operates it.
 *
 * @param provider who operates it
 * @param party whose infrastructure it is, from the site's point of view
 * @param evidence the record and the rule behind the attribution
 */
public record Attribution(Provider provider, Party party, Evidence evidence) {}
