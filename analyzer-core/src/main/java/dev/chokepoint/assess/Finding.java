package dev.chokepoint.assess;

/**
 * Something the assessment wants a person to know.
 *
 * @param id stable identifier of the check, for example {@code dns-single-provider}
 * @param severity how bad it is
 * @param service the service concerned, for example {@code dns}
 * @param subject what it is about: a provider, a host, the site
 * @param message one sentence a person understands
 */
public record Finding(String id, Severity severity, String service, String subject, String message) {}
