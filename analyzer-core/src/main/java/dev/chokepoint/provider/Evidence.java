package dev.chokepoint.provider;

/**
 * Why a fact holds: which DNS record was seen and which rule turned it into the fact.
 *
 * @param record the observed record, for example {@code example.com NS ada.ns.cloudflare.com}
 * @param rule the rule that matched, for example {@code known provider: ns suffix ns.cloudflare.com (patterns.csv:12)}
 */
public record Evidence(String record, String rule) {}
