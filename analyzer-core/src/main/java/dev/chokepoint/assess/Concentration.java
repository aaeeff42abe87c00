package dev.chokepoint.assess;

import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Provider concentration across many audited sites: who provides each service, how many sites each provider would
 * take down alone, how concentrated each market is, which few providers would take down half of the sites together,
 * and which sites share one set of nameservers. A pure computation over {@link SiteDependencies}.
 *
 * <p><b>Streaming.</b> {@link #compute} reads the sites through a supplier of streams and never holds them all: it
 * makes one pass for the counts, one more per provider the half-down search adds after the first, and at most one
 * more for the shared-fate examples (folded into a search pass when there is one). What it holds:
 *
 * <ul>
 *   <li>for the whole computation: per service and provider, and per provider over all services, a few counters and
 *       the display name; per service two counters; per distinct NS set its key and a count (the largest holder when
 *       most sites run their own nameservers: one short string per site in the worst case);
 *   <li>per half-down pass: the components chosen so far (at most {@value #MAX_HALF_DOWN_PROVIDERS}) and two counters
 *       per component named in any survival formula;
 *   <li>in the examples pass: the top {@value #MAX_SHARED_FATE_GROUPS} NS sets with up to
 *       {@value #SHARED_FATE_EXAMPLES} domains each;
 *   <li>per site, only while it is being read: its providers merged by service and id, and whether each fails the
 *       site alone.
 * </ul>
 *
 * <p><b>Impact.</b> For a reported service, a third-party provider's {@code directImpact} counts the sites where the
 * audit flagged it a single point of failure through a direct dependency ({@link ProviderUse#singlePointOfFailure}
 * and not {@link ProviderUse#indirect}). Its {@code allImpact} counts the sites where it appears in that service,
 * directly or not, and:
 *
 * <ul>
 *   <li>when the service's survival formula is required (dns, web for cdn and hosting, mail, and content the site
 *       cannot render without): {@link SiteDependencies#down} with only that provider failed, so indirect paths count
 *       (the DNS of a DNS provider) and so does the site going down through another of its services;
 *   <li>when it is not required (sending, ca, soft content): the service's own formula fails, so the site degrades;
 *   <li>when the site has no formula for the service (an old scan): the audit's single-point-of-failure flag, direct
 *       or indirect;
 * </ul>
 *
 * and always when it counts in {@code directImpact}, so that {@code allImpact >= directImpact} holds even where the
 * formula and the flags disagree. Over all services combined, a provider's {@code directImpact} counts direct single
 * points of failure of required services only and its {@code allImpact} the sites that go down: losing a soft service
 * is not counted there.
 */
public final class Concentration {
    /** The reported services, in report order. */
    public static final List<String> REPORTED_SERVICES =
            List.of("dns", "cdn", "hosting", "mail", "content", "ca", "sending");

    /** The service id of the combined view over all services. */
    public static final String ALL_SERVICES = "all";

    /** The most components the half-down search adds before it gives up. */
    public static final int MAX_HALF_DOWN_PROVIDERS = 50;

    /** The most shared-fate groups reported. */
    public static final int MAX_SHARED_FATE_GROUPS = 100;

    /** The most example domains kept per shared-fate group. */
    public static final int SHARED_FATE_EXAMPLES = 10;

    private Concentration() {}

    /**
     * Computes the concentration report over the sites that {@code sites} streams. The supplier is called several
     * times and must stream the same sites each time (in any order); each stream is read sequentially and closed, so
     * it may read files lazily.
     */
    public static ConcentrationReport compute(Supplier<Stream<SiteDependencies>> sites) {
        Objects.requireNonNull(sites, "sites");
        Tallies tallies = new Tallies();
        NameserverGroups groups = new NameserverGroups();
        HalfDownSearch search = new HalfDownSearch();
        pass(sites, site -> {
            tallies.add(site);
            groups.count(site);
            search.observe(site);
        });
        groups.selectTop();
        boolean examplesPending = groups.hasSelected();
        while (search.chooseNext()) {
            boolean collect = examplesPending;
            pass(sites, site -> {
                search.observe(site);
                if (collect) {
                    groups.collect(site);
                }
            });
            examplesPending = false;
        }
        if (examplesPending) {
            pass(sites, groups::collect);
        }
        return new ConcentrationReport(
                tallies.sites,
                tallies.impacts(),
                tallies.combined(),
                tallies.markets(),
                search.result(),
                groups.result());
    }

    /** The survival formula's service for a reported service: the CDN and the hosting are both parts of the web. */
    static String graphService(String reported) {
        return switch (reported) {
            case "cdn", "hosting" -> "web";
            default -> reported;
        };
    }

    private static void pass(Supplier<Stream<SiteDependencies>> sites, Consumer<SiteDependencies> action) {
        // The counters are not thread-safe: read sequentially even if the supplier hands out a parallel stream.
        try (Stream<SiteDependencies> stream = sites.get()) {
            stream.sequential().forEach(action);
        }
    }

    /** One provider's uses within one site, merged over the uses that name it. */
    private static final class Use {
        final Provider provider;
        Party party;
        boolean indirect = true;
        boolean singlePointOfFailure;
        boolean directSinglePointOfFailure;

        Use(Provider provider, Party party) {
            this.provider = provider;
            this.party = party;
        }

        void merge(ProviderUse use) {
            // The site's own in any use makes it first party, as the assessor does; otherwise a named third party
            // wins over an unknown operator.
            if (use.party() == Party.FIRST || party == Party.FIRST) {
                party = Party.FIRST;
            } else if (use.party() == Party.THIRD) {
                party = Party.THIRD;
            }
            indirect &= use.indirect();
            singlePointOfFailure |= use.singlePointOfFailure();
            directSinglePointOfFailure |= use.singlePointOfFailure() && !use.indirect() && use.thirdParty();
        }
    }

    /** One provider's counters in one service or in the combined view. */
    private static final class Tally {
        final String id;
        final String name;
        int thirdParty;
        int unknownParty;
        int firstParty;
        int directSites;
        int allSites;
        int directImpact;
        int allImpact;

        Tally(String id, String name) {
            this.id = id;
            this.name = name;
        }

        /** Counts the site's party; whether to count the rest, which only third parties get. */
        boolean countParty(Party party) {
            switch (party) {
                case FIRST -> firstParty++;
                case THIRD -> thirdParty++;
                case UNKNOWN -> unknownParty++;
            }
            return party != Party.FIRST;
        }

        ProviderImpact toImpact(String service) {
            return new ProviderImpact(
                    service,
                    id,
                    name,
                    thirdParty,
                    unknownParty,
                    firstParty,
                    directSites,
                    allSites,
                    directImpact,
                    allImpact);
        }
    }

    /** A combined-view use: the merged use and what its services say about the site going down. */
    private static final class CombinedUse {
        final Use use;
        boolean directRequiredSpof;
        boolean flaggedWithoutFormula;

        CombinedUse(Provider provider) {
            this.use = new Use(provider, Party.UNKNOWN);
        }
    }

    /** The per-provider counters of the first pass. */
    private static final class Tallies {
        int sites;
        final Map<String, Map<String, Tally>> byService = new LinkedHashMap<>();
        final Map<String, int[]> marketCounts = new HashMap<>();
        final Map<String, Tally> combined = new HashMap<>();

        void add(SiteDependencies site) {
            sites++;
            Map<String, Map<String, Use>> uses = new LinkedHashMap<>();
            Map<String, Boolean> assessedRequired = new HashMap<>();
            for (ServiceAssessment assessment : site.services()) {
                String service = assessment.service().id();
                Map<String, Use> ofService = uses.computeIfAbsent(service, s -> new LinkedHashMap<>());
                for (ProviderUse use : assessment.providers()) {
                    ofService
                            .computeIfAbsent(use.provider().id(), id -> new Use(use.provider(), use.party()))
                            .merge(use);
                }
                assessedRequired.merge(service, assessment.required(), Boolean::logicalOr);
            }
            // Each provider's "down alone" is evaluated once per site, whatever services name it.
            Map<String, Boolean> downAlone = new HashMap<>();
            Map<String, CombinedUse> combinedUses = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Use>> entry : uses.entrySet()) {
                String service = entry.getKey();
                Optional<Survival> survival = site.survival(graphService(service));
                boolean required = survival.map(Survival::required).orElse(assessedRequired.get(service));
                int[] market = marketCounts.computeIfAbsent(service, s -> new int[2]);
                market[0]++;
                boolean anyDirectThirdParty = false;
                for (Use use : entry.getValue().values()) {
                    String id = use.provider.id();
                    Tally tally = byService
                            .computeIfAbsent(service, s -> new HashMap<>())
                            .computeIfAbsent(id, k -> new Tally(k, use.provider.displayName()));
                    CombinedUse combinedUse = combinedUses.computeIfAbsent(id, k -> new CombinedUse(use.provider));
                    combinedUse.use.merge(asProviderUse(use));
                    if (!tally.countParty(use.party)) {
                        continue;
                    }
                    tally.allSites++;
                    if (!use.indirect) {
                        tally.directSites++;
                        anyDirectThirdParty = true;
                    }
                    if (use.directSinglePointOfFailure) {
                        tally.directImpact++;
                    }
                    boolean hit;
                    if (use.directSinglePointOfFailure) {
                        hit = true;
                    } else if (survival.isEmpty()) {
                        hit = use.singlePointOfFailure;
                    } else if (required) {
                        hit = downAlone.computeIfAbsent(id, k -> site.down(Set.of(k)));
                    } else {
                        hit = !survival.get().survives(Set.of(id));
                    }
                    if (hit) {
                        tally.allImpact++;
                    }
                    if (required && use.directSinglePointOfFailure) {
                        combinedUse.directRequiredSpof = true;
                    }
                    if (required && survival.isEmpty() && use.singlePointOfFailure) {
                        combinedUse.flaggedWithoutFormula = true;
                    }
                }
                if (anyDirectThirdParty) {
                    market[1]++;
                }
            }
            for (CombinedUse combinedUse : combinedUses.values()) {
                Use use = combinedUse.use;
                String id = use.provider.id();
                Tally tally = combined.computeIfAbsent(id, k -> new Tally(k, use.provider.displayName()));
                if (!tally.countParty(use.party)) {
                    continue;
                }
                tally.allSites++;
                if (!use.indirect) {
                    tally.directSites++;
                }
                if (combinedUse.directRequiredSpof) {
                    tally.directImpact++;
                }
                if (combinedUse.directRequiredSpof
                        || combinedUse.flaggedWithoutFormula
                        || downAlone.computeIfAbsent(id, k -> site.down(Set.of(k)))) {
                    tally.allImpact++;
                }
            }
        }

        /** The merged use as one use, to merge it again over services. */
        private static ProviderUse asProviderUse(Use use) {
            return new ProviderUse(use.provider, use.party, use.indirect, use.singlePointOfFailure, List.of());
        }

        /** The reported services first, in report order, then any other service the sites have, by id. */
        private List<String> serviceOrder() {
            List<String> order = new ArrayList<>(REPORTED_SERVICES);
            new TreeSet<>(byService.keySet())
                    .stream().filter(s -> !order.contains(s)).forEach(order::add);
            return order;
        }

        Map<String, List<ProviderImpact>> impacts() {
            Map<String, List<ProviderImpact>> impacts = new LinkedHashMap<>();
            for (String service : serviceOrder()) {
                impacts.put(service, sorted(service, byService.getOrDefault(service, Map.of())));
            }
            return impacts;
        }

        List<ProviderImpact> combined() {
            return sorted(ALL_SERVICES, combined);
        }

        Map<String, MarketStructure> markets() {
            Map<String, MarketStructure> markets = new LinkedHashMap<>();
            for (String service : serviceOrder()) {
                int[] counts = marketCounts.getOrDefault(service, new int[2]);
                markets.put(
                        service,
                        MarketStructure.of(
                                service,
                                counts[0],
                                counts[1],
                                sorted(service, byService.getOrDefault(service, Map.of()))));
            }
            return markets;
        }

        /** The providers seen as a third party at least once (first-party-only operators are the sites' own). */
        private static List<ProviderImpact> sorted(String service, Map<String, Tally> tallies) {
            return tallies.values().stream()
                    .filter(t -> t.allSites > 0)
                    .map(t -> t.toImpact(service))
                    .sorted(ProviderImpact.BY_IMPACT)
                    .toList();
        }
    }

    /**
     * The greedy search for components whose joint failure takes down half of the working sites.
     *
     * <p>Choosing the fewest components that take down a given number of sites is a partial set cover when every
     * required service of every site has a single alternative (no multi-homing): a site then goes down as soon as
     * any of its components fails, the sites down are a coverage function of the failed set, and greedy needs at
     * most H(t) ≈ ln t + 1 times the optimal number of components, t the number of sites to take down (Slavík 1997,
     * "Improved performance of the greedy algorithm for partial cover"). With redundancy it is not a coverage
     * function any more (two DNS providers must both fail) and greedy is a heuristic with no guarantee: each round
     * takes the component that takes down the most additional sites, ties and rounds where no single component takes
     * down anything broken by the most alternatives it removes from sites still up (progress towards multi-homed
     * sites), then by id. Candidates are the components named in the survival formulas, whatever the party, since a
     * site's own infrastructure fails too; formulas truncated at {@link Survival#MAX_ALTERNATIVES} make the count
     * approximate.
     */
    private static final class HalfDownSearch {
        private final Set<String> failed = new HashSet<>();
        private final List<ConcentrationHalfDown.Step> steps = new ArrayList<>();
        private Map<String, Integer> gain = new HashMap<>();
        private Map<String, Integer> broken = new HashMap<>();
        private boolean firstPass = true;
        private int working;
        private int baselineDown;
        private int observedDown;
        private boolean finished;

        void observe(SiteDependencies site) {
            if (site.down(Set.of())) {
                if (firstPass) {
                    baselineDown++;
                }
                return;
            }
            if (firstPass) {
                working++;
            }
            if (!failed.isEmpty() && site.down(failed)) {
                observedDown++;
                return;
            }
            Set<String> killers = new HashSet<>();
            for (Survival survival : site.survival()) {
                if (!survival.required()) {
                    continue;
                }
                List<Set<String>> alive = survival.alternatives().stream()
                        .filter(a -> a.stream().noneMatch(c -> Survival.fails(c, failed)))
                        .toList();
                // Non-empty: the site is up, so every required service keeps an alternative.
                for (Set<String> alternative : alive) {
                    for (String component : alternative) {
                        broken.merge(component, 1, Integer::sum);
                    }
                }
                // A component takes the service down alone when it breaks every alternative still alive; it must
                // break the first, so only the first's components are candidates.
                for (String component : alive.getFirst()) {
                    if (alive.stream().allMatch(a -> breaks(component, a))) {
                        killers.add(component);
                    }
                }
            }
            for (String killer : killers) {
                gain.merge(killer, 1, Integer::sum);
            }
        }

        /** Whether failing {@code component} breaks {@code alternative}, as {@link Survival#fails} decides. */
        private static boolean breaks(String component, Set<String> alternative) {
            if (alternative.contains(component)) {
                return true;
            }
            // Only an organisation id (no colon) fails components other than itself.
            return component.indexOf(':') < 0
                    && alternative.stream().anyMatch(c -> Survival.fails(c, Set.of(component)));
        }

        private int target() {
            return (working + 1) / 2;
        }

        /** After a pass: adds the next component; whether another pass is needed to choose the one after. */
        boolean chooseNext() {
            firstPass = false;
            if (finished || working == 0 || observedDown >= target() || steps.size() >= MAX_HALF_DOWN_PROVIDERS) {
                finished = true;
                return false;
            }
            String best = null;
            int bestGain = 0;
            int bestBroken = 0;
            for (String component : new TreeSet<>(broken.keySet())) {
                int g = gain.getOrDefault(component, 0);
                int b = broken.get(component);
                if (best == null || g > bestGain || (g == bestGain && b > bestBroken)) {
                    best = component;
                    bestGain = g;
                    bestBroken = b;
                }
            }
            if (best == null) {
                // No site that is still up has a component left to fail.
                finished = true;
                return false;
            }
            failed.add(best);
            observedDown += bestGain;
            steps.add(new ConcentrationHalfDown.Step(best, observedDown, bestGain));
            if (observedDown >= target() || steps.size() >= MAX_HALF_DOWN_PROVIDERS) {
                finished = true;
                return false;
            }
            gain = new HashMap<>();
            broken = new HashMap<>();
            observedDown = 0;
            return true;
        }

        ConcentrationHalfDown result() {
            return new ConcentrationHalfDown(
                    working, baselineDown, target(), steps, working > 0 && observedDown >= target());
        }
    }

    /** Sites grouped by identical NS set: counts in the first pass, examples of the top groups in a later one. */
    private static final class NameserverGroups {
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, List<String>> selected = new LinkedHashMap<>();

        /** The group key: the NS names lower case without the final dot, distinct, sorted, one per line. */
        private static String key(SiteDependencies site) {
            Set<String> names = new TreeSet<>();
            for (String nameserver : site.nameservers()) {
                String name = nameserver.trim().toLowerCase(Locale.ROOT);
                if (name.endsWith(".")) {
                    name = name.substring(0, name.length() - 1);
                }
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return String.join("\n", names);
        }

        void count(SiteDependencies site) {
            String key = key(site);
            // A site without nameservers shares nothing with the others.
            if (!key.isEmpty()) {
                counts.merge(key, 1, Integer::sum);
            }
        }

        void selectTop() {
            counts.entrySet().stream()
                    .filter(e -> e.getValue() >= 2)
                    .sorted(Map.Entry.<String, Integer>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(MAX_SHARED_FATE_GROUPS)
                    .forEach(e -> selected.put(e.getKey(), new ArrayList<>()));
        }

        boolean hasSelected() {
            return !selected.isEmpty();
        }

        void collect(SiteDependencies site) {
            List<String> examples = selected.get(key(site));
            if (examples != null && examples.size() < SHARED_FATE_EXAMPLES) {
                examples.add(site.domain());
            }
        }

        List<SharedFate> result() {
            List<SharedFate> groups = new ArrayList<>();
            selected.forEach((key, examples) -> groups.add(new SharedFate(
                    List.of(key.split("\n")),
                    counts.get(key),
                    examples.stream().sorted().toList())));
            return groups;
        }
    }
}
