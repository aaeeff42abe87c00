package dev.chokepoint.assess;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How concentrated the market of one reported service is among the audited sites.
 *
 * <p>A provider's share is its {@code directSites} divided by the sum of {@code directSites} over all third-party
 * providers of the service. A multi-homed site therefore counts once for each of its providers, and the shares are
 * shares of site-provider relations, not of sites; indirect and first-party providers take no share.
 *
 * @param service the reported service id, for example {@code dns}
 * @param sites sites whose assessment has this service (whoever provides it)
 * @param thirdPartySites sites with at least one direct third-party provider of the service
 * @param shares each direct third-party provider's share, largest first (ties by id)
 * @param hhi the Herfindahl-Hirschman index: the sum of squared shares times 10,000, as the US Department of Justice
 *     computes it from percentages (0 with no provider, 10,000 for a monopoly)
 * @param cr1 the share of the largest provider, 0 to 1
 * @param cr3 the combined share of the three largest providers, 0 to 1
 * @param cr5 the combined share of the five largest providers, 0 to 1
 * @param gini the Gini coefficient of {@code directSites} over the providers, 0 (all equal) to nearly 1; it measures
 *     inequality among the providers present, not concentration: a monopoly has Gini 0 and HHI 10,000
 */
public record MarketStructure(
        String service,
        int sites,
        int thirdPartySites,
        List<Share> shares,
        double hhi,
        double cr1,
        double cr3,
        double cr5,
        double gini) {
    /** Copies the list. */
    public MarketStructure {
        Objects.requireNonNull(service, "service");
        shares = List.copyOf(shares);
    }

    /**
     * One provider's part of the market.
     *
     * @param id the provider id
     * @param name the display name
     * @param directSites sites where it is a direct third-party provider of the service
     * @param share {@code directSites} over the sum of {@code directSites} of the service's providers, 0 to 1
     */
    public record Share(String id, String name, int directSites, double share) {}

    /** The number of direct third-party providers of the service. */
    public int providers() {
        return shares.size();
    }

    /**
     * Measures the market of {@code service} from its providers' {@code directSites}; providers without direct sites
     * take no share.
     */
    public static MarketStructure of(String service, int sites, int thirdPartySites, List<ProviderImpact> providers) {
        List<ProviderImpact> direct = providers.stream()
                .filter(p -> p.directSites() > 0)
                .sorted(Comparator.comparingInt(ProviderImpact::directSites)
                        .reversed()
                        .thenComparing(ProviderImpact::id))
                .toList();
        long total = direct.stream().mapToLong(ProviderImpact::directSites).sum();
        List<Share> shares = direct.stream()
                .map(p -> new Share(p.id(), p.name(), p.directSites(), (double) p.directSites() / total))
                .toList();
        double hhi = 0;
        for (Share share : shares) {
            hhi += share.share() * share.share();
        }
        int[] counts = direct.stream().mapToInt(ProviderImpact::directSites).toArray();
        return new MarketStructure(
                service,
                sites,
                thirdPartySites,
                shares,
                hhi * 10_000,
                concentrationRatio(shares, 1),
                concentrationRatio(shares, 3),
                concentrationRatio(shares, 5),
                gini(counts));
    }

    private static double concentrationRatio(List<Share> shares, int firms) {
        return shares.stream().limit(firms).mapToDouble(Share::share).sum();
    }

    /**
     * The Gini coefficient of non-negative counts: {@code (2 Σ i·x(i)) / (n Σ x) − (n + 1) / n} over the counts sorted
     * ascending, {@code i} from 1; 0 for no counts or a zero total.
     */
    static double gini(int[] counts) {
        int n = counts.length;
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        if (n == 0 || total == 0) {
            return 0;
        }
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            weighted += (i + 1) * (double) sorted[i];
        }
        return 2 * weighted / (n * (double) total) - (n + 1) / (double) n;
    }
}
