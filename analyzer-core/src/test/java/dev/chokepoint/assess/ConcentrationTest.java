package dev.chokepoint.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Concentration over a hand-built world of eight sites whose numbers are worked out in the comments.
 *
 * <pre>
 * site  DNS (NS set)                          CDN           hosting              other
 * a     cloudflare:dns SPOF (cf pair)         cloudflare    aws SPOF
 * b     cloudflare:dns SPOF (cf pair)         cloudflare    aws SPOF
 * c     cloudflare:dns SPOF (cf pair)         fastly        aws SPOF             mail google; content jsdelivr
 *                                                                                  via bunny:cdn (indirect)
 * d     cloudflare:dns + aws:dns (multi-homed) akamai       d.example (1st party)
 * e     easydns:dns SPOF, via ultradns:dns    -             aws SPOF
 *       (indirect SPOF) (easydns pair)
 * f     as e, easydns party unknown           -             aws SPOF             mail microsoft
 * g     ultradns:dns SPOF (ultradns pair)     cloudflare    aws SPOF             ca letsencrypt (soft), its
 *                                                                                  OCSP via akamai:cdn (indirect)
 * h     h.example:dns (1st party)             akamai        aws (1st party: h is Amazon's own)
 * </pre>
 */
class ConcentrationTest {
    private static final Set<String> CF = Set.of("cloudflare:dns");
    private static final String ALL = Concentration.ALL_SERVICES;

    // ---- the world ----

    private static Provider provider(String org, String name, Service service) {
        return new Provider(org, name, service, true);
    }

    private static ProviderUse use(Provider provider, Party party, boolean indirect, boolean spof) {
        return new ProviderUse(provider, party, indirect, spof, List.of());
    }

    private static ProviderUse direct(Provider provider, boolean spof) {
        return use(provider, Party.THIRD, false, spof);
    }

    private static ServiceAssessment service(Service service, boolean required, ProviderUse... uses) {
        boolean critical = Arrays.stream(uses).anyMatch(u -> u.singlePointOfFailure() && u.thirdParty());
        return new ServiceAssessment(service, required, List.of(uses), critical, false);
    }

    @SafeVarargs
    private static Survival survival(String service, boolean required, Set<String>... alternatives) {
        return new Survival(service, required, List.of(alternatives), false);
    }

    private static final Provider CLOUDFLARE_DNS = provider("cloudflare", "Cloudflare", Service.DNS);
    private static final Provider AWS_DNS = provider("aws", "Amazon", Service.DNS);
    private static final Provider EASYDNS = provider("easydns", "easyDNS", Service.DNS);
    private static final Provider ULTRADNS = provider("ultradns", "UltraDNS", Service.DNS);
    private static final Provider H_DNS = new Provider("h.example", "h.example", Service.DNS, false);
    private static final Provider CLOUDFLARE_CDN = provider("cloudflare", "Cloudflare", Service.CDN);
    private static final Provider FASTLY = provider("fastly", "Fastly", Service.CDN);
    private static final Provider AKAMAI = provider("akamai", "Akamai", Service.CDN);
    private static final Provider BUNNY = provider("bunny", "Bunny", Service.CDN);
    private static final Provider AWS = provider("aws", "Amazon", Service.HOSTING);
    private static final Provider D_HOSTING = new Provider("d.example", "d.example", Service.HOSTING, false);
    private static final Provider GOOGLE_MAIL = provider("google", "Google", Service.MAIL);
    private static final Provider MICROSOFT_MAIL = provider("microsoft", "Microsoft", Service.MAIL);
    private static final Provider JSDELIVR = provider("jsdelivr", "jsDelivr", Service.CONTENT);
    private static final Provider LETSENCRYPT = provider("letsencrypt", "Let's Encrypt", Service.CA);

    private static final List<String> CF_NS = List.of("ada.ns.cloudflare.com", "bob.ns.cloudflare.com");
    private static final List<String> EASY_NS = List.of("dns1.easydns.com", "dns2.easydns.net");

    /** A site on Cloudflare DNS and CDN, hosted at Amazon: a, b. */
    private static SiteDependencies cloudflareSite(String domain, List<String> nameservers) {
        return new SiteDependencies(
                domain,
                nameservers,
                List.of(
                        service(Service.DNS, true, direct(CLOUDFLARE_DNS, true)),
                        service(Service.CDN, true, direct(CLOUDFLARE_CDN, true)),
                        service(Service.HOSTING, true, direct(AWS, true))),
                List.of(
                        survival("dns", true, Set.of("cloudflare:dns")),
                        survival("web", true, Set.of("cloudflare:cdn", "aws:hosting"))));
    }

    /** easyDNS whose nameserver names resolve through UltraDNS, hosted at Amazon: e, f (with Microsoft mail). */
    private static SiteDependencies easySite(String domain, Party easyParty, boolean microsoftMail) {
        List<ServiceAssessment> services = new ArrayList<>(List.of(
                service(
                        Service.DNS,
                        true,
                        use(EASYDNS, easyParty, false, true),
                        use(ULTRADNS, Party.THIRD, true, true)),
                service(Service.HOSTING, true, direct(AWS, true))));
        List<Survival> survivals = new ArrayList<>(List.of(
                survival("dns", true, Set.of("easydns:dns", "ultradns:dns")),
                survival("web", true, Set.of("aws:hosting"))));
        if (microsoftMail) {
            services.add(service(Service.MAIL, true, direct(MICROSOFT_MAIL, true)));
            survivals.add(survival("mail", true, Set.of("microsoft:mail")));
        }
        return new SiteDependencies(domain, EASY_NS, services, survivals);
    }

    static List<SiteDependencies> world() {
        SiteDependencies a = cloudflareSite("a.example", CF_NS);
        // Unsorted, upper case and with final dots: still the same NS set as a and c.
        SiteDependencies b = cloudflareSite("b.example", List.of("BOB.ns.cloudflare.com.", "ada.ns.cloudflare.com"));
        SiteDependencies c = new SiteDependencies(
                "c.example",
                CF_NS,
                List.of(
                        service(Service.DNS, true, direct(CLOUDFLARE_DNS, true)),
                        service(Service.CDN, true, direct(FASTLY, true)),
                        service(Service.HOSTING, true, direct(AWS, true)),
                        service(Service.MAIL, true, direct(GOOGLE_MAIL, true)),
                        // A render-blocking script from jsDelivr, which Bunny's CDN serves.
                        service(Service.CONTENT, true, direct(JSDELIVR, true), use(BUNNY, Party.THIRD, true, true))),
                List.of(
                        survival("dns", true, CF),
                        survival("web", true, Set.of("fastly:cdn", "aws:hosting")),
                        survival("mail", true, Set.of("google:mail")),
                        survival("content", true, Set.of("jsdelivr:content", "bunny:cdn"))));
        SiteDependencies d = new SiteDependencies(
                "d.example",
                List.of("ada.ns.cloudflare.com", "ns-1.awsdns-01.org"),
                List.of(
                        service(Service.DNS, true, direct(CLOUDFLARE_DNS, false), direct(AWS_DNS, false)),
                        service(Service.CDN, true, direct(AKAMAI, true)),
                        service(Service.HOSTING, true, use(D_HOSTING, Party.FIRST, false, false))),
                List.of(
                        survival("dns", true, CF, Set.of("aws:dns")),
                        survival("web", true, Set.of("akamai:cdn", "d.example:hosting"))));
        SiteDependencies e = easySite("e.example", Party.THIRD, false);
        SiteDependencies f = easySite("f.example", Party.UNKNOWN, true);
        SiteDependencies g = new SiteDependencies(
                "g.example",
                List.of("pdns1.ultradns.net", "pdns2.ultradns.net"),
                List.of(
                        service(Service.DNS, true, direct(ULTRADNS, true)),
                        service(Service.CDN, true, direct(CLOUDFLARE_CDN, true)),
                        service(Service.HOSTING, true, direct(AWS, true)),
                        // Let's Encrypt's revocation responder is served by Akamai's CDN.
                        service(Service.CA, false, direct(LETSENCRYPT, true), use(AKAMAI, Party.THIRD, true, true))),
                List.of(
                        survival("dns", true, Set.of("ultradns:dns")),
                        survival("web", true, Set.of("cloudflare:cdn", "aws:hosting")),
                        survival("ca", false, Set.of("letsencrypt:ca", "akamai:cdn"))));
        SiteDependencies h = new SiteDependencies(
                "h.example",
                List.of("ns1.h.example", "ns2.h.example"),
                List.of(
                        service(Service.DNS, true, use(H_DNS, Party.FIRST, false, false)),
                        service(Service.CDN, true, direct(AKAMAI, true)),
                        service(Service.HOSTING, true, use(AWS, Party.FIRST, false, false))),
                List.of(
                        survival("dns", true, Set.of("h.example:dns")),
                        survival("web", true, Set.of("akamai:cdn", "aws:hosting"))));
        return List.of(a, b, c, d, e, f, g, h);
    }

    /**
     * The report, checked to be the same whether the first pass remembers the sites, later passes read them, or the
     * first pass runs out of room halfway (what it remembered so far is counted when it forgets).
     */
    private static ConcentrationReport compute(List<SiteDependencies> sites) {
        ConcentrationReport remembered = Concentration.compute(sites::stream);
        assertThat(Concentration.compute(sites::stream, 0)).isEqualTo(remembered);
        assertThat(Concentration.compute(sites::stream, 2)).isEqualTo(remembered);
        return remembered;
    }

    private static ProviderImpact impact(ConcentrationReport report, String service, String id) {
        return report.providers(service).stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + service));
    }

    private static List<String> ids(List<ProviderImpact> impacts) {
        return impacts.stream().map(ProviderImpact::id).toList();
    }

    // ---- impacts ----

    @Test
    void dnsImpactsCountDirectIndirectAndMultiHomedSitesApart() {
        ConcentrationReport report = compute(world());

        // cloudflare:dns is direct at a, b, c, d; a single point of failure at a, b, c but not at the multi-homed d.
        assertThat(impact(report, "dns", "cloudflare:dns"))
                .isEqualTo(new ProviderImpact("dns", "cloudflare:dns", "Cloudflare DNS", 4, 0, 0, 4, 4, 3, 3));
        // aws:dns is only d's second provider: used, never a single point of failure.
        assertThat(impact(report, "dns", "aws:dns"))
                .isEqualTo(new ProviderImpact("dns", "aws:dns", "Amazon DNS", 1, 0, 0, 1, 1, 0, 0));
        // ultradns:dns: direct at g, indirect at e and f, and all three go down without it: 3 / 1 = 3.
        ProviderImpact ultra = impact(report, "dns", "ultradns:dns");
        assertThat(ultra).isEqualTo(new ProviderImpact("dns", "ultradns:dns", "UltraDNS DNS", 3, 0, 0, 1, 3, 1, 3));
        assertThat(ultra.amplification()).hasValue(3.0);
        // easydns: third party at e, unknown operator at f.
        assertThat(impact(report, "dns", "easydns:dns"))
                .isEqualTo(new ProviderImpact("dns", "easydns:dns", "easyDNS DNS", 1, 1, 0, 2, 2, 2, 2));
        // Sorted by allImpact desc (3, 3, 2, 0), then directSites desc (cloudflare 4 before ultradns 1); h.example's
        // own nameservers are not a third-party provider at all.
        assertThat(ids(report.impacts().get("dns")))
                .containsExactly("cloudflare:dns", "ultradns:dns", "easydns:dns", "aws:dns");
    }

    @Test
    void anIndirectOnlyProviderHasImpactWithoutAmplificationRatio() {
        ConcentrationReport report = compute(world());

        // bunny:cdn only serves jsDelivr at c: no direct use, but c goes down without it.
        ProviderImpact bunny = impact(report, "content", "bunny:cdn");
        assertThat(bunny.directSites()).isZero();
        assertThat(bunny.allSites()).isEqualTo(1);
        assertThat(bunny.directImpact()).isZero();
        assertThat(bunny.allImpact()).isEqualTo(1);
        assertThat(bunny.amplification()).isEmpty();
        assertThat(impact(report, "content", "jsdelivr:content").amplification())
                .hasValue(1.0);
    }

    @Test
    void firstPartyUseIsCountedApartAndTakesNoShare() {
        ConcentrationReport report = compute(world());

        // aws:hosting: third party at a, b, c, e, f, g (6 sites, all single points of failure); h's own at h.
        assertThat(impact(report, "hosting", "aws:hosting"))
                .isEqualTo(new ProviderImpact("hosting", "aws:hosting", "Amazon hosting", 6, 0, 1, 6, 6, 6, 6));
        // d.example's own hosting and h.example's own DNS are nobody's concentration.
        assertThat(ids(report.impacts().get("hosting"))).containsExactly("aws:hosting");
        assertThat(ids(report.combined())).doesNotContain("d.example:hosting", "h.example:dns");
        MarketStructure hosting = report.markets().get("hosting");
        // Every site has hosting; d and h have only their own.
        assertThat(hosting.sites()).isEqualTo(8);
        assertThat(hosting.thirdPartySites()).isEqualTo(6);
        assertThat(hosting.shares())
                .containsExactly(new MarketStructure.Share("aws:hosting", "Amazon hosting", 6, 1.0));
        // A monopoly: HHI 10,000, CR1 1, and Gini 0 (one provider is equal to itself).
        assertThat(hosting.hhi()).isCloseTo(10_000, within(1e-9));
        assertThat(hosting.cr1()).isCloseTo(1, within(1e-12));
        assertThat(hosting.gini()).isCloseTo(0, within(1e-12));
    }

    @Test
    void softServiceImpactCountsDegradedSitesButNotInTheCombinedView() {
        ConcentrationReport report = compute(world());

        // letsencrypt:ca is g's only CA: the service is lost (degraded), so it counts for ca ...
        assertThat(impact(report, "ca", "letsencrypt:ca"))
                .extracting(ProviderImpact::directImpact, ProviderImpact::allImpact)
                .containsExactly(1, 1);
        // ... and so does Akamai, indirectly: without it g loses revocation checks, the CA service's formula fails.
        ProviderImpact akamaiCa = impact(report, "ca", "akamai:cdn");
        assertThat(akamaiCa)
                .extracting(ProviderImpact::directSites, ProviderImpact::allSites, ProviderImpact::allImpact)
                .containsExactly(0, 1, 1);
        assertThat(akamaiCa.amplification()).isEmpty();
        // But g does not go down, and the combined view counts sites down only: Akamai takes down d and h.
        assertThat(impact(report, ALL, "letsencrypt:ca"))
                .extracting(ProviderImpact::directSites, ProviderImpact::directImpact, ProviderImpact::allImpact)
                .containsExactly(1, 0, 0);
        assertThat(impact(report, ALL, "akamai:cdn"))
                .extracting(ProviderImpact::directSites, ProviderImpact::allSites, ProviderImpact::allImpact)
                .containsExactly(2, 3, 2);
    }

    @Test
    void combinedViewMergesAProviderOverServicesAndSortsByImpact() {
        ConcentrationReport report = compute(world());

        // allImpact over all services: aws:hosting 6; cloudflare:dns 3 (4 direct), cloudflare:cdn 3 (a, b, g; 3
        // direct), ultradns:dns 3 (1 direct); akamai:cdn 2, easydns:dns 2 (2 direct each: by id); then 1 each:
        // fastly, google, jsdelivr, microsoft (1 direct), bunny (0 direct); then 0: aws:dns, letsencrypt:ca.
        assertThat(ids(report.combined()))
                .containsExactly(
                        "aws:hosting",
                        "cloudflare:dns",
                        "cloudflare:cdn",
                        "ultradns:dns",
                        "akamai:cdn",
                        "easydns:dns",
                        "fastly:cdn",
                        "google:mail",
                        "jsdelivr:content",
                        "microsoft:mail",
                        "bunny:cdn",
                        "aws:dns",
                        "letsencrypt:ca");
        assertThat(impact(report, ALL, "ultradns:dns"))
                .isEqualTo(new ProviderImpact(ALL, "ultradns:dns", "UltraDNS DNS", 3, 0, 0, 1, 3, 1, 3));
        assertThat(report.providers("nonsense")).isEmpty();
    }

    @Test
    void withoutFormulasTheFlagsDecideAndAllImpactNeverFallsBelowDirectImpact() {
        // old: a scan without survival formulas; easyDNS a direct, UltraDNS an indirect single point of failure.
        SiteDependencies old = new SiteDependencies(
                "old.example",
                List.of(),
                List.of(service(Service.DNS, true, direct(EASYDNS, true), use(ULTRADNS, Party.THIRD, true, true))),
                List.of());
        // odd: the flag says Cloudflare alone takes DNS down, the formula gives an alternative; the flag is kept.
        SiteDependencies odd = new SiteDependencies(
                "odd.example",
                List.of(),
                List.of(service(Service.DNS, true, direct(CLOUDFLARE_DNS, true))),
                List.of(survival("dns", true, CF, Set.of("aws:dns"))));

        ConcentrationReport report = compute(List.of(old, odd));

        for (String service : List.of("dns", ALL)) {
            assertThat(impact(report, service, "easydns:dns"))
                    .extracting(ProviderImpact::directImpact, ProviderImpact::allImpact)
                    .containsExactly(1, 1);
            assertThat(impact(report, service, "ultradns:dns"))
                    .extracting(ProviderImpact::directImpact, ProviderImpact::allImpact)
                    .containsExactly(0, 1);
            assertThat(impact(report, service, "cloudflare:dns"))
                    .extracting(ProviderImpact::directImpact, ProviderImpact::allImpact)
                    .containsExactly(1, 1);
        }
    }

    // ---- market structure ----

    @Test
    void dnsMarketHasHandComputedHhiConcentrationRatiosAndGini() {
        MarketStructure dns = compute(world()).markets().get("dns");

        // Direct third-party DNS providers: cloudflare 4 (a, b, c, d), easydns 2 (e, f), aws 1 (d), ultradns 1 (g);
        // sum 8. Shares 0.5, 0.25, 0.125, 0.125.
        assertThat(dns.sites()).isEqualTo(8);
        assertThat(dns.thirdPartySites()).isEqualTo(7); // all but h, which runs its own nameservers
        assertThat(dns.providers()).isEqualTo(4);
        assertThat(dns.shares().stream().map(MarketStructure.Share::id))
                .containsExactly("cloudflare:dns", "easydns:dns", "aws:dns", "ultradns:dns");
        assertThat(dns.shares().stream()
                        .mapToDouble(MarketStructure.Share::share)
                        .toArray())
                .containsExactly(0.5, 0.25, 0.125, 0.125);
        // HHI = 10,000 × (0.25 + 0.0625 + 0.015625 + 0.015625) = 3,437.5.
        assertThat(dns.hhi()).isCloseTo(3437.5, within(1e-9));
        assertThat(dns.cr1()).isCloseTo(0.5, within(1e-12));
        assertThat(dns.cr3()).isCloseTo(0.875, within(1e-12));
        assertThat(dns.cr5()).isCloseTo(1.0, within(1e-12));
        // Gini of [1, 1, 2, 4]: Σ|xi − xj| over ordered pairs = 20; 20 / (2 × 4² × mean 2) = 0.3125.
        assertThat(dns.gini()).isCloseTo(0.3125, within(1e-12));
    }

    @Test
    void cdnMarketHasHandComputedHhiAndGini() {
        MarketStructure cdn = compute(world()).markets().get("cdn");

        // cloudflare 3 (a, b, g), akamai 2 (d, h), fastly 1 (c): shares 1/2, 1/3, 1/6.
        assertThat(cdn.sites()).isEqualTo(6); // e and f have no CDN
        // HHI = 10,000 × (9 + 4 + 1) / 36 = 3,888.9.
        assertThat(cdn.hhi()).isCloseTo(140_000.0 / 36, within(1e-9));
        assertThat(cdn.cr1()).isCloseTo(0.5, within(1e-12));
        assertThat(cdn.cr3()).isCloseTo(1.0, within(1e-12));
        // Gini of [1, 2, 3]: ordered-pair differences 8; 8 / (2 × 9 × 2) = 2/9.
        assertThat(cdn.gini()).isCloseTo(2.0 / 9, within(1e-12));
    }

    @Test
    void giniOfEqualCountsIsZeroAndOfOneDominantCountApproachesOne() {
        assertThat(MarketStructure.gini(new int[] {5, 5, 5})).isCloseTo(0, within(1e-12));
        // [0, 0, 0, 10]: (2 × 40) / (4 × 10) − 5/4 = 0.75 = (n − 1) / n.
        assertThat(MarketStructure.gini(new int[] {10, 0, 0, 0})).isCloseTo(0.75, within(1e-12));
        assertThat(MarketStructure.gini(new int[0])).isZero();
    }

    // ---- half down ----

    @Test
    void halfDownOnTheWorldIsAmazonHostingAlone() {
        ConcentrationHalfDown half = compute(world()).halfDown();

        // 8 working sites, target 4. aws:hosting alone takes down a, b, c, e, f, g and h (h's own hosting fails too,
        // the formulas do not know parties): 7 ≥ 4 in one step.
        assertThat(half.workingSites()).isEqualTo(8);
        assertThat(half.baselineDown()).isZero();
        assertThat(half.target()).isEqualTo(4);
        assertThat(half.steps()).containsExactly(new ConcentrationHalfDown.Step("aws:hosting", 7, 7));
        assertThat(half.reached()).isTrue();
    }

    private static SiteDependencies bare(String domain, Survival... survivals) {
        return new SiteDependencies(domain, List.of(), List.of(), List.of(survivals));
    }

    @Test
    void halfDownPicksTheLargestAdditionEachRound() {
        // Ten working sites, target 5, plus one that never works. Round 1: a takes down s1-s3 and c s3, s4, s6 (3
        // each; each breaks 3 live alternatives too), b s4, s5: a by id. Round 2: b adds s4, s5 and c s4, s6 (2
        // each, 2 alternatives each): b by id, and 3 + 2 = 5 reaches the target.
        List<SiteDependencies> sites = new ArrayList<>();
        Map<Integer, List<String>> killers = Map.of(
                1, List.of("a:x"),
                2, List.of("a:x"),
                3, List.of("a:x", "c:x"),
                4, List.of("b:x", "c:x"),
                5, List.of("b:x"),
                6, List.of("c:x"));
        for (int i = 1; i <= 10; i++) {
            List<String> spofs = killers.getOrDefault(i, List.of("own" + i + ":x"));
            sites.add(bare("s" + i, survival("dns", true, Set.copyOf(spofs))));
        }
        sites.add(bare("broken", survival("dns", true)));

        ConcentrationHalfDown half = compute(sites).halfDown();

        assertThat(half.workingSites()).isEqualTo(10);
        assertThat(half.baselineDown()).isEqualTo(1);
        assertThat(half.target()).isEqualTo(5);
        assertThat(half.steps())
                .containsExactly(
                        new ConcentrationHalfDown.Step("a:x", 3, 3), new ConcentrationHalfDown.Step("b:x", 5, 2));
        assertThat(half.reached()).isTrue();
    }

    /** Four sites multi-homed on p or q, one on a or z, one on r alone: three shapes. */
    private static List<SiteDependencies> multiHomed() {
        List<SiteDependencies> sites = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sites.add(bare("m" + i, survival("dns", true, Set.of("p:dns"), Set.of("q:dns"))));
        }
        sites.add(bare("n", survival("dns", true, Set.of("a:dns"), Set.of("z:dns"))));
        sites.add(bare("single", survival("dns", true, Set.of("r:dns"))));
        return sites;
    }

    @Test
    void halfDownBreaksRedundancyWhenNoSingleFailureTakesASiteDown() {
        // Six working, target 3. Round 1: r adds 1, the rest 0: r. Round 2: nothing adds a site; p and q each break 4
        // live alternatives, a and z 1: p (by id over q; a would come first on id alone). Round 3: q takes down the
        // four: 5.
        List<SiteDependencies> sites = multiHomed();

        ConcentrationHalfDown half = compute(sites).halfDown();

        assertThat(half.components()).containsExactly("r:dns", "p:dns", "q:dns");
        assertThat(half.steps().stream().map(ConcentrationHalfDown.Step::sitesDown))
                .containsExactly(1, 1, 5);
        assertThat(half.reached()).isTrue();
    }

    @Test
    void halfDownStopsAtTheCapAndWhenNothingCanFail() {
        // 102 sites each on its own provider: 51 are needed, the search stops at 50.
        List<SiteDependencies> sites = IntStream.range(0, 102)
                .mapToObj(i -> bare("s" + i, survival("dns", true, Set.of(String.format("p%03d:dns", i)))))
                .toList();
        ConcentrationHalfDown capped = compute(sites).halfDown();
        assertThat(capped.target()).isEqualTo(51);
        assertThat(capped.size()).isEqualTo(Concentration.MAX_HALF_DOWN_PROVIDERS);
        assertThat(capped.sitesDown()).isEqualTo(50);
        assertThat(capped.reached()).isFalse();

        // Only a soft service: no failure takes any site down.
        ConcentrationHalfDown stuck = compute(List.of(
                        bare("x", survival("ca", false, Set.of("letsencrypt:ca"))),
                        bare("y", survival("ca", false, Set.of("letsencrypt:ca")))))
                .halfDown();
        assertThat(stuck.workingSites()).isEqualTo(2);
        assertThat(stuck.steps()).isEmpty();
        assertThat(stuck.reached()).isFalse();
    }

    // ---- shared fate ----

    @Test
    void sharedFateGroupsIdenticalNameserverSetsLargestFirst() {
        List<SharedFate> groups = compute(world()).sharedFate();

        // a, b (same set written differently) and c share Cloudflare's pair; e and f easyDNS's; d, g and h are alone.
        assertThat(groups)
                .containsExactly(
                        new SharedFate(CF_NS, 3, List.of("a.example", "b.example", "c.example")),
                        new SharedFate(EASY_NS, 2, List.of("e.example", "f.example")));
    }

    @Test
    void sharedFateKeepsTenExamplesAndTheHundredLargestGroups() {
        List<SiteDependencies> sites = new ArrayList<>();
        // One group of 12 sites, then 105 groups of 2 (ns-000 .. ns-104), and sites without nameservers.
        for (int i = 0; i < 12; i++) {
            sites.add(new SiteDependencies("big" + i, List.of("a.big", "b.big"), List.of(), List.of()));
        }
        for (int g = 0; g < 105; g++) {
            for (int i = 0; i < 2; i++) {
                String ns = String.format("ns-%03d.example", g);
                sites.add(new SiteDependencies("g" + g + "s" + i, List.of(ns), List.of(), List.of()));
            }
        }
        sites.add(new SiteDependencies("none1", List.of(), List.of(), List.of()));
        sites.add(new SiteDependencies("none2", List.of(), List.of(), List.of()));

        List<SharedFate> groups = compute(sites).sharedFate();

        assertThat(groups).hasSize(Concentration.MAX_SHARED_FATE_GROUPS);
        assertThat(groups.getFirst().sites()).isEqualTo(12);
        assertThat(groups.getFirst().examples()).hasSize(Concentration.SHARED_FATE_EXAMPLES);
        // Ties by key: ns-000 .. ns-098 follow; ns-099 .. ns-104 are dropped.
        assertThat(groups.getLast().nameservers()).containsExactly("ns-098.example");
        assertThat(groups.stream().flatMap(g -> g.nameservers().stream())).doesNotContain("ns-099.example", "");
    }

    // ---- streaming ----

    /** How often {@link Concentration#compute} calls its supplier, each stream closed, with the result. */
    private record Passes(int calls, int closed, ConcentrationReport report) {
        static Passes of(List<SiteDependencies> sites, int remember) {
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            Supplier<Stream<SiteDependencies>> supplier = () -> {
                calls.incrementAndGet();
                // A one-shot stream, like lines of a file: reusing it would throw.
                return sites.stream().onClose(closed::incrementAndGet);
            };
            ConcentrationReport report = Concentration.compute(supplier, remember);
            return new Passes(calls.get(), closed.get(), report);
        }
    }

    @Test
    void onePassSufficesWhileTheShapesAndNameserverSetsAreRemembered() {
        // The world has seven distinct shapes (a and b share one; g's CA is not required) and five NS sets.
        Passes remembered = Passes.of(world(), Concentration.MAX_REMEMBERED);
        Passes atTheBound = Passes.of(world(), 7);

        assertThat(remembered.calls()).isOne();
        assertThat(remembered.closed()).isOne();
        assertThat(atTheBound.calls()).isOne();
        assertThat(atTheBound.report()).isEqualTo(remembered.report());
    }

    @Test
    void beyondTheBoundTheSupplierIsCalledForEachPassWithFreshClosedStreams() {
        Passes remembered = Passes.of(world(), Concentration.MAX_REMEMBERED);
        Passes forgotten = Passes.of(world(), 4);

        // Five NS sets are too many: pass 1 (counts, half-down round 1) picks aws:hosting and reaches the target;
        // pass 2 collects the shared-fate examples.
        assertThat(forgotten.calls()).isEqualTo(2);
        assertThat(forgotten.closed()).isEqualTo(2);
        assertThat(forgotten.report()).isEqualTo(remembered.report());
    }

    @Test
    void laterHalfDownRoundsReadTheSitesAgainOnlyWhenTheShapesWereForgotten() {
        // As in halfDownBreaksRedundancyWhenNoSingleFailureTakesASiteDown: three rounds over three shapes.
        List<SiteDependencies> sites = multiHomed();

        Passes remembered = Passes.of(sites, 3);
        Passes forgotten = Passes.of(sites, 2);

        assertThat(remembered.report().halfDown().components()).containsExactly("r:dns", "p:dns", "q:dns");
        assertThat(remembered.calls()).isOne();
        assertThat(forgotten.calls()).isEqualTo(3);
        assertThat(forgotten.report()).isEqualTo(remembered.report());
    }

    @Test
    void resultDoesNotDependOnSiteOrder() {
        List<SiteDependencies> reversed = new ArrayList<>(world());
        Collections.reverse(reversed);

        assertThat(compute(reversed)).isEqualTo(compute(world()));
    }

    @Test
    void emptyInputGivesAnEmptyReport() {
        ConcentrationReport report = compute(List.of());

        assertThat(report.sites()).isZero();
        assertThat(report.impacts().keySet()).containsExactlyElementsOf(Concentration.REPORTED_SERVICES);
        assertThat(report.impacts().values())
                .allSatisfy(list -> assertThat(list).isEmpty());
        assertThat(report.combined()).isEmpty();
        assertThat(report.markets().values()).allSatisfy(m -> assertThat(m)
                .extracting(MarketStructure::sites, MarketStructure::hhi, MarketStructure::gini)
                .containsExactly(0, 0.0, 0.0));
        assertThat(report.halfDown()).isEqualTo(new ConcentrationHalfDown(0, 0, 0, List.of(), false));
        assertThat(report.sharedFate()).isEmpty();
    }

    @Test
    void reportedServicesMapToTheirSurvivalFormulas() {
        assertThat(Concentration.REPORTED_SERVICES.stream()
                        .collect(Collectors.toMap(s -> s, Concentration::graphService)))
                .containsEntry("cdn", "web")
                .containsEntry("hosting", "web")
                .containsEntry("dns", "dns")
                .containsEntry("sending", "sending");
    }
}
