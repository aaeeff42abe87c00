package dev.chokepoint.assess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Simulation on a hand-built world whose answers are known. */
class SimulationTest {
    private static ProviderUse use(String org, Service service, boolean indirect) {
        return new ProviderUse(new Provider(org, org, service, true), Party.THIRD, indirect, false, List.of());
    }

    /** Two DNS providers: either one is enough. One CDN. */
    private static final SiteDependencies MULTI = new SiteDependencies(
            "multi.example",
            List.of(),
            List.of(new ServiceAssessment(
                    Service.DNS,
                    true,
                    List.of(use("p1", Service.DNS, false), use("p2", Service.DNS, false)),
                    false,
                    true)),
            List.of(
                    new Survival("dns", true, List.of(Set.of("p1:dns"), Set.of("p2:dns")), false),
                    new Survival("web", true, List.of(Set.of("cdn1:cdn")), false)));

    /** DNS at p3, whose own nameservers are resolved through p4: p4 is an indirect single point of failure. */
    private static final SiteDependencies INDIRECT = new SiteDependencies(
            "indirect.example",
            List.of(),
            List.of(new ServiceAssessment(
                    Service.DNS,
                    true,
                    List.of(use("p3", Service.DNS, false), use("p4", Service.DNS, true)),
                    true,
                    false)),
            List.of(new Survival("dns", true, List.of(Set.of("p3:dns", "p4:dns")), false)));

    /** A soft certificate authority and a web front on one network. */
    private static final SiteDependencies SOFT = new SiteDependencies(
            "soft.example",
            List.of(),
            List.of(),
            List.of(
                    new Survival("web", true, List.of(Set.of("AS64500")), false),
                    new Survival("ca", false, List.of(Set.of("ca1:ca")), false)));

    @Test
    void oneOfTwoRedundantProvidersFailingLeavesTheSiteUp() {
        assertThat(Simulation.of(MULTI, Set.of("p1:dns")).fate()).isEqualTo(Simulation.Fate.UP);
        assertThat(Simulation.of(MULTI, Set.of("p1:dns", "p2:dns")).fate()).isEqualTo(Simulation.Fate.DOWN);
        assertThat(Simulation.of(MULTI, Set.of("cdn1:cdn")).lost()).containsExactly("web");
    }

    @Test
    void failureReachedThroughAnotherProviderTakesTheSiteDownAndSaysItIsIndirect() {
        Simulation.SiteFate fate = Simulation.of(INDIRECT, Set.of("p4:dns"));

        assertThat(fate.fate()).isEqualTo(Simulation.Fate.DOWN);
        assertThat(fate.paths()).containsExactly(new Simulation.Path("dns", "p4:dns", true));
    }

    @Test
    void organisationFailsAllItsServicesAndAnAsnFailsItsNetwork() {
        assertThat(Simulation.of(INDIRECT, Set.of("p3")).fate()).isEqualTo(Simulation.Fate.DOWN);
        Simulation.SiteFate network = Simulation.of(SOFT, Set.of("AS64500"));
        assertThat(network.fate()).isEqualTo(Simulation.Fate.DOWN);
        assertThat(network.paths()).containsExactly(new Simulation.Path("web", "AS64500", false));
    }

    @Test
    void losingOnlyASoftServiceDegrades() {
        Simulation.SiteFate fate = Simulation.of(SOFT, Set.of("ca1:ca"));

        assertThat(fate.fate()).isEqualTo(Simulation.Fate.DEGRADED);
        assertThat(fate.lost()).containsExactly("ca (soft)");
    }

    @Test
    void unrelatedFailureLeavesEverySiteUp() {
        for (SiteDependencies site : List.of(MULTI, INDIRECT, SOFT)) {
            Simulation.SiteFate fate = Simulation.of(site, Set.of("elsewhere:cdn"));
            assertThat(fate.fate()).isEqualTo(Simulation.Fate.UP);
            assertThat(fate.paths()).isEmpty();
        }
    }

    @Test
    void aNetworkIsAsAndDigitsWhateverTheCaseTheUserTyped() {
        assertThat(Survival.isNetwork("AS13335")).isTrue();
        assertThat(Survival.isNetwork("AS")).isFalse();
        assertThat(Survival.isNetwork("ASX1")).isFalse();
        assertThat(Survival.isNetwork("as13335")).isFalse(); // components are normalised first
        assertThat(Survival.isNetwork("aws:dns")).isFalse();
        assertThat(Survival.normalise(" as13335 ")).isEqualTo("AS13335");
        assertThat(Survival.normalise("Cloudflare:CDN")).isEqualTo("cloudflare:cdn");
        assertThat(Survival.normalise("asx")).isEqualTo("asx");
        assertThat(Survival.organisation("cloudflare:cdn")).isEqualTo("cloudflare");
        assertThat(Survival.organisation("cloudflare")).isEqualTo("cloudflare");
        assertThat(Survival.fails("cloudflare:cdn", Set.of("cloudflare"))).isTrue();
        assertThat(Survival.fails("cloudflare:cdn", Set.of("cloudflare:dns"))).isFalse();
    }
}
