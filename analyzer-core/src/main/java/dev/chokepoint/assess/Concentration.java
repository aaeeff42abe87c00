package dev.chokepoint.assess;

import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Provider concentration across many audited sites: who provides each service, how many sites each provider would
 * take down alone, how concentrated each market is, which few providers would take down half of the sites together,
 * and which sites share one set of nameservers. A pure computation over {@link SiteDependencies}.
 *
 * <p><b>Streaming.</b> {@link #compute} reads the sites through a supplier of streams and never holds them all. One
 * pass usually does: it counts, and remembers what the later steps need in a compact form, deduplicated (the
 * half-down search's view of each site still up, and the first {@value #SHARED_FATE_EXAMPLES} domains of each NS
 * set). When a batch has more than {@value #MAX_REMEMBERED} distinct such shapes or NS sets, it forgets them and
 * reads the sites again instead: one more pass per provider the half-down search adds after the first, and at most
 * one more for the shared-fate examples (folded into a search pass when there is one). What it holds:
 *
 * <ul>
 *   <li>for the whole computation: per service and provider that some site does not run itself (a third party or an
 *       unknown operator), and per such provider over all services, a few counters and the display name; per service
 *       two counters;
 *   <li>what grows with the sites when they run their own infrastructure, per distinct NS set its key and a count,
 *       per first-party-only provider a count, and per half-down round a weight per component: at most {@value
 *       #MAX_REMEMBERED} keys each in memory, the rest in temporary files sorted by key and merged when read (see
 *       {@link SpillingCounts}), so that memory does not grow with the batch;
 *   <li>while remembering: per distinct search shape its components and a count, and per NS set up to
 *       {@value #SHARED_FATE_EXAMPLES} domains, at most {@value #MAX_REMEMBERED} of each;
 *   <li>per half-down round: the components chosen so far (at most {@value #MAX_HALF_DOWN_PROVIDERS});
 *   <li>in an examples pass: the top {@value #MAX_SHARED_FATE_GROUPS} NS sets with up to
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

    /**
     * The most distinct half-down shapes, and NS sets with examples, that the first pass remembers to spare the later
     * ones; about 30 MB when all are held.
     */
    public static final int MAX_REMEMBERED = 100_000;

    private Concentration() {}

    /**
     * Computes the concentration report over the sites that {@code sites} streams. The supplier may be called several
     * times and must stream the same sites each time, in any order; each stream is read sequentially and closed, so
     * it may read files lazily.
     */
    public static ConcentrationReport compute(Supplier<Stream<SiteDependencies>> sites) {
        return compute(sites, MAX_REMEMBERED);
    }

    /** {@link #compute}, remembering at most {@code remember} shapes and NS sets instead of the default. */
    static ConcentrationReport compute(Supplier<Stream<SiteDependencies>> sites, int remember) {
        Objects.requireNonNull(sites, "sites");
        Accumulator accumulator = new Accumulator(remember);
        pass(sites, accumulator::add);
        return accumulator.report(sites);
    }

    /** An empty {@link Accumulator}, to count sites as they are audited. */
    public static Accumulator accumulator() {
        return new Accumulator(MAX_REMEMBERED);
    }

    /**
     * The first pass of {@link #compute} fed one site at a time, for a caller that has the sites in hand anyway (a
     * scan as it writes them), so that the report reads them again only when it must. Thread-safe.
     */
    public static final class Accumulator {
        private final Lock lock = new ReentrantLock();
        private final Tallies tallies;
        private final NameserverGroups groups;
        private final HalfDownSearch search;
        private boolean reported;

        private Accumulator(int remember) {
            tallies = new Tallies(remember);
            groups = new NameserverGroups(remember);
            search = new HalfDownSearch(remember);
        }

        /** Counts one site. */
        public void add(SiteDependencies site) {
            Objects.requireNonNull(site, "site");
            lock.lock();
            try {
                if (reported) {
                    throw new IllegalStateException("the report is made: no more sites");
                }
                tallies.add(site);
                groups.count(site);
                search.observe(site);
            } finally {
                lock.unlock();
            }
        }

        /**
         * The report over the sites added. {@code again} streams the same sites, as {@link #compute}'s supplier does;
         * it is called only when there were too many distinct shapes or NS sets to remember. Call once.
         */
        public ConcentrationReport report(Supplier<Stream<SiteDependencies>> again) {
            Objects.requireNonNull(again, "again");
            lock.lock();
            try {
                if (reported) {
                    throw new IllegalStateException("the report is made already");
                }
                reported = true;
                return finish(again);
            } finally {
                tallies.close();
                groups.close();
                search.close();
                lock.unlock();
            }
        }

        private ConcentrationReport finish(Supplier<Stream<SiteDependencies>> again) {
            tallies.settle();
            groups.selectTop();
            boolean examplesPending = groups.needsExamplesPass();
            while (search.chooseNext()) {
                if (search.remembers()) {
                    search.replay();
                    continue;
                }
                boolean collect = examplesPending;
                pass(again, site -> {
                    search.observe(site);
                    if (collect) {
                        groups.collect(site);
                    }
                });
                examplesPending = false;
            }
            if (examplesPending) {
                pass(again, groups::collect);
            }
            return new ConcentrationReport(
                    tallies.sites,
                    tallies.impacts(),
                    tallies.combined(),
                    tallies.markets(),
                    search.result(),
                    groups.result());
        }
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
    private static final class Tallies implements AutoCloseable {
        int sites;
        final Map<String, Map<String, Tally>> byService = new LinkedHashMap<>();
        final Map<String, int[]> marketCounts = new HashMap<>();
        final Map<String, Tally> combined = new HashMap<>();
        /**
         * First-party uses of providers with no tally at the time, by service (or {@link #ALL_SERVICES}), a tab and
         * the provider id. Most are a site's own nameservers or mail hosts, nobody else's provider and never
         * reported: a tally each came to about one per site (1,037,100 over 999,999 generated sites, 43% of the
         * report's live heap), so they are counted apart, on disk past a bound, and {@link #settle} adds them to the
         * providers that another site used as a third party.
         */
        final SpillingCounts firstPartyOnly;

        Tallies(int remember) {
            firstPartyOnly = new SpillingCounts(1, remember);
        }

        /** The tally of {@code provider} in {@code tallies}, or null after counting a first use that is first party. */
        private Tally tally(String service, Map<String, Tally> tallies, Provider provider, Party party) {
            Tally tally = tallies.get(provider.id());
            if (tally != null) {
                return tally;
            }
            if (party == Party.FIRST) {
                firstPartyOnly.add(service + '\t' + provider.id(), 0, 1);
                return null;
            }
            tally = new Tally(provider.id(), provider.displayName());
            tallies.put(provider.id(), tally);
            return tally;
        }

        /** Adds the first-party uses counted apart to the tallies made after them. Call once, after the last site. */
        void settle() {
            firstPartyOnly.forEach((key, count) -> {
                int tab = key.indexOf('\t');
                String service = key.substring(0, tab);
                Map<String, Tally> tallies = service.equals(ALL_SERVICES) ? combined : byService.get(service);
                Tally tally = tallies == null ? null : tallies.get(key.substring(tab + 1));
                if (tally != null) {
                    tally.firstParty += count[0];
                }
            });
            firstPartyOnly.clear();
        }

        @Override
        public void close() {
            firstPartyOnly.close();
        }

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
                Map<String, Tally> ofService = byService.computeIfAbsent(service, s -> new HashMap<>());
                for (Use use : entry.getValue().values()) {
                    String id = use.provider.id();
                    CombinedUse combinedUse = combinedUses.computeIfAbsent(id, k -> new CombinedUse(use.provider));
                    combinedUse.use.merge(asProviderUse(use));
                    Tally tally = tally(service, ofService, use.provider, use.party);
                    if (tally == null || !tally.countParty(use.party)) {
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
                Tally tally = tally(ALL_SERVICES, combined, use.provider, use.party);
                if (tally == null || !tally.countParty(use.party)) {
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
    private static final class HalfDownSearch implements AutoCloseable {
        /** The columns of {@link #weights}. */
        private static final int GAIN = 0;

        private static final int BROKEN = 1;

        private final Set<String> failed = new HashSet<>();
        private final List<ConcentrationHalfDown.Step> steps = new ArrayList<>();
        private final int remember;
        /** Each distinct shape of the working sites with how many have it; null once there were too many. */
        private Map<List<List<List<String>>>, int[]> shapes = new HashMap<>();

        /**
         * Per component in this round: the working sites its failure takes down ({@link #GAIN}) and the alternatives
         * it breaks ({@link #BROKEN}), counted in sites. One key per site's own component in the worst case, so on
         * disk past a bound.
         */
        private final SpillingCounts weights;

        private boolean firstPass = true;
        private int working;
        private int baselineDown;
        private int observedDown;
        private boolean finished;

        HalfDownSearch(int remember) {
            this.remember = remember;
            this.weights = new SpillingCounts(2, remember);
        }

        /**
         * What the search reads of a site: the alternatives of each required service, each a sorted list of
         * components. Sites with one shape count alike, whatever else differs.
         */
        private static List<List<List<String>>> shape(SiteDependencies site) {
            List<List<List<String>>> shape = new ArrayList<>();
            for (Survival survival : site.survival()) {
                if (survival.required()) {
                    List<List<String>> alternatives = new ArrayList<>();
                    for (Set<String> alternative : survival.alternatives()) {
                        alternatives.add(List.copyOf(alternative));
                    }
                    shape.add(List.copyOf(alternatives));
                }
            }
            return List.copyOf(shape);
        }

        /** Whether a site of this shape is down with everything in {@code failed} failed (see {@link SiteDependencies#down}). */
        private static boolean down(List<List<List<String>>> shape, Set<String> failed) {
            for (List<List<String>> alternatives : shape) {
                if (allBroken(alternatives, failed)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether every alternative has a component that fails; loops, as every site and round asks it. */
        private static boolean allBroken(List<List<String>> alternatives, Set<String> failed) {
            for (List<String> alternative : alternatives) {
                if (Survival.intact(alternative, failed)) {
                    return false;
                }
            }
            return true;
        }

        void observe(SiteDependencies site) {
            observe(shape(site), 1);
        }

        /** Whether the later rounds can read the remembered shapes instead of the sites. */
        boolean remembers() {
            return shapes != null;
        }

        /** A round over the remembered shapes, each counted as often as sites have it. */
        void replay() {
            shapes.forEach((shape, count) -> observe(shape, count[0]));
        }

        private void observe(List<List<List<String>>> shape, int sites) {
            if (down(shape, Set.of())) {
                if (firstPass) {
                    baselineDown += sites;
                }
                return;
            }
            if (firstPass) {
                working += sites;
                if (shapes != null) {
                    // Counted now, weighed once per shape when the round ends (most sites share a shape).
                    shapes.computeIfAbsent(shape, k -> new int[1])[0] += sites;
                    if (shapes.size() > remember) {
                        Map<List<List<List<String>>>, int[]> held = shapes;
                        shapes = null;
                        held.forEach((s, count) -> weigh(s, count[0]));
                    }
                    return;
                }
            }
            weigh(shape, sites);
        }

        /** Adds what failing each component would do to {@code sites} working sites of one shape. */
        private void weigh(List<List<List<String>>> shape, int sites) {
            if (!failed.isEmpty() && down(shape, failed)) {
                observedDown += sites;
                return;
            }
            Set<String> killers = new HashSet<>();
            for (List<List<String>> alternatives : shape) {
                List<List<String>> alive = alternatives.stream()
                        .filter(a -> a.stream().noneMatch(c -> Survival.fails(c, failed)))
                        .toList();
                // Non-empty: the site is up, so every required service keeps an alternative.
                for (List<String> alternative : alive) {
                    for (String component : alternative) {
                        weights.add(component, BROKEN, sites);
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
                weights.add(killer, GAIN, sites);
            }
        }

        /** Whether failing {@code component} breaks {@code alternative}, as {@link Survival#fails} decides. */
        private static boolean breaks(String component, List<String> alternative) {
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
            if (firstPass && shapes != null) {
                shapes.forEach((shape, count) -> weigh(shape, count[0]));
            }
            firstPass = false;
            if (finished || working == 0 || observedDown >= target() || steps.size() >= MAX_HALF_DOWN_PROVIDERS) {
                finished = true;
                return false;
            }
            Best choice = new Best();
            weights.forEach(choice::consider);
            weights.clear();
            String best = choice.component;
            int bestGain = choice.gain;
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
            observedDown = 0;
            return true;
        }

        /** The component that takes down the most, then breaks the most, then comes first by id (seen in id order). */
        private static final class Best {
            String component;
            int gain;
            int broken;

            void consider(String candidate, int[] weight) {
                // The candidates are the components that break an alternative (a component with a gain does too).
                if (weight[BROKEN] == 0) {
                    return;
                }
                if (component == null || weight[GAIN] > gain || (weight[GAIN] == gain && weight[BROKEN] > broken)) {
                    component = candidate;
                    gain = weight[GAIN];
                    broken = weight[BROKEN];
                }
            }
        }

        @Override
        public void close() {
            weights.close();
        }

        ConcentrationHalfDown result() {
            return new ConcentrationHalfDown(
                    working, baselineDown, target(), steps, working > 0 && observedDown >= target());
        }
    }

    /**
     * Sites grouped by identical NS set: counts in the first pass (on disk past {@code remember} sets), with the first
     * examples of each group while there are at most {@code remember} groups; otherwise the examples of the top groups
     * in a later pass.
     */
    private static final class NameserverGroups implements AutoCloseable {
        /** Largest first, then by key. */
        private static final Comparator<Group> ORDER =
                Comparator.comparingInt(Group::sites).reversed().thenComparing(Group::key);

        private final int remember;
        private final SpillingCounts sizes;
        /** The first examples of each NS set; null once there were too many sets to keep them. */
        private Map<String, List<String>> examples = new HashMap<>();

        private final Map<String, Group> selected = new LinkedHashMap<>();
        private boolean remembering = true;

        /** A selected group: its NS set's key, its size, its examples (sorted, filled by a pass when forgotten). */
        private record Group(String key, int sites, List<String> examples) {}

        NameserverGroups(int remember) {
            this.remember = remember;
            this.sizes = new SpillingCounts(1, remember);
        }

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
            if (key.isEmpty()) {
                return;
            }
            sizes.add(key, 0, 1);
            if (!remembering) {
                return;
            }
            if (sizes.spilled() || examples.size() >= remember && !examples.containsKey(key)) {
                remembering = false;
                examples = null;
            } else {
                keepFirst(examples.computeIfAbsent(key, k -> new ArrayList<>(1)), site.domain());
            }
        }

        void selectTop() {
            // The top groups by a bounded heap whose head is the least of them, over the counts in key order.
            PriorityQueue<Group> top = new PriorityQueue<>(ORDER.reversed());
            sizes.forEach((key, count) -> {
                if (count[0] >= 2) {
                    top.add(new Group(key, count[0], remembering ? examples.get(key) : new ArrayList<>()));
                    if (top.size() > MAX_SHARED_FATE_GROUPS) {
                        top.poll();
                    }
                }
            });
            sizes.clear();
            examples = null;
            top.stream().sorted(ORDER).forEach(group -> selected.put(group.key(), group));
        }

        /** Whether the examples of the top groups are still to be read. */
        boolean needsExamplesPass() {
            return !remembering && !selected.isEmpty();
        }

        void collect(SiteDependencies site) {
            Group group = selected.get(key(site));
            if (group != null) {
                keepFirst(group.examples(), site.domain());
            }
        }

        /**
         * Adds {@code domain} to sorted {@code examples} if it is among the first {@value #SHARED_FATE_EXAMPLES} in
         * alphabetical order: the examples do not depend on the order the sites come in.
         */
        private static void keepFirst(List<String> examples, String domain) {
            int at = Collections.binarySearch(examples, domain);
            if (at >= 0) {
                return;
            }
            int insert = -at - 1;
            if (insert < SHARED_FATE_EXAMPLES) {
                examples.add(insert, domain);
                if (examples.size() > SHARED_FATE_EXAMPLES) {
                    examples.removeLast();
                }
            }
        }

        List<SharedFate> result() {
            List<SharedFate> result = new ArrayList<>();
            selected.forEach((key, group) ->
                    result.add(new SharedFate(List.of(key.split("\n")), group.sites(), List.copyOf(group.examples()))));
            return result;
        }

        @Override
        public void close() {
            sizes.close();
        }
    }
}
