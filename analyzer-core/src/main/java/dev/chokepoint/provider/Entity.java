package dev.chokepoint.provider;

/**
 * The organisation behind a third-party host, from the entity map.
 *
 * @param organisationId the organisation's identifier, shared with the provider catalog where both know it
 * @param name its display name
 * @param category what it does on a page: {@code analytics}, {@code tag-manager}, {@code cdn}, {@code fonts}, ...
 * @param domain the entity-map suffix that matched
 * @param source where the fact comes from
 * @param location the dataset file and line
 */
public record Entity(
        String organisationId, String name, String category, String domain, String source, String location) {}
