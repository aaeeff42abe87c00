package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.assess.Simulation;
import dev.chokepoint.testdns.GeneratedWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulate command on the sample snapshot and on a scan directory. */
class SimulateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, String> fates(Cli.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, String> fates = new HashMap<>();
        for (JsonNode site : JSON.readTree(run.out()).get("sites")) {
            fates.put(site.get("domain").asText(), site.get("fate").asText());
        }
        return fates;
    }

    @Test
    void cloudflareNovemberOutageTakesDownTheSitesAHandCheckSays() throws Exception {
        // By hand: example.com is on Cloudflare's proxy (CDN); example.net's page blocks on OneTrust's script, which
        // Cloudflare's proxy serves; example.org is self-hosted; bücher.example uses Cloudflare only for DNS, which
        // did not fail that day.
        Cli.Run run = Cli.run(
                "simulate",
                "--scenario",
                "cloudflare-2025-11-18",
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--datasets",
                Cli.datasets(dir.resolve("d")).toString(),
                "--format",
                "json");

        assertThat(fates(run))
                .containsEntry("example.com", "down")
                .containsEntry("example.net", "down")
                .containsEntry("example.org", "up")
                .containsEntry("xn--bcher-kva.example", "up");
        assertThat(JSON.readTree(run.out())
                        .get("scenario")
                        .get("sources")
                        .get(0)
                        .asText())
                .startsWith("https://");
        assertThat(run.out()).contains("\"indirect\" : true");
    }

    @Test
    void cloudflareAsAWholeAlsoTakesDownTheSiteThatUsesItIndirectlyForDns() throws Exception {
        Cli.Run run = Cli.run(
                "simulate",
                "--fail",
                "cloudflare",
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--no-web",
                "--datasets",
                Cli.datasets(dir.resolve("d")).toString(),
                "--format",
                "json");

        assertThat(fates(run))
                .containsEntry("example.com", "down")
                .containsEntry("xn--bcher-kva.example", "down")
                .containsEntry("example.org", "up");
    }

    @Test
    void simulationOverAScanDirectoryFollowsTheIndirectPath() throws Exception {
        GeneratedWorld world = GeneratedWorld.of(60);
        Path datasets = Cli.datasets(dir.resolve("d"));
        Path out = dir.resolve("scan");
        Cli.scanWorld(world, out, datasets);
        // dns5.test's own zone is served by dns1.test: failing dns1 takes down dns5's sites too, indirectly.
        Map<String, String> fates =
                fates(Cli.run("simulate", "--fail", "dns1.test:dns", "--from", out.toString(), "--format", "json"));
        // By the world's rules: site i uses provider 1 (i % 10 < 5), 2, 3, 4 or 5 (i % 10 == 9); every eleventh also
        // the next provider; every thirteenth is self-hosted. Down: every provider it uses is dns1 or dns5.
        java.util.Set<String> expected = new java.util.TreeSet<>();
        int direct = 0;
        for (int i = 1; i <= 60; i++) {
            if (i % 13 == 0) {
                continue;
            }
            int provider = i % 10 < 5 ? 1 : i % 10 < 7 ? 2 : i % 10 < 8 ? 3 : i % 10 < 9 ? 4 : 5;
            java.util.Set<Integer> used = new java.util.HashSet<>(List.of(provider));
            if (i % 11 == 0) {
                used.add(provider % 5 + 1);
            }
            if (used.stream().allMatch(p -> p == 1 || p == 5)) {
                expected.add(world.sites().get(i - 1));
                if (used.contains(1)) {
                    direct++;
                }
            }
        }
        java.util.Set<String> down = new java.util.TreeSet<>();
        fates.forEach((site, fate) -> {
            if (fate.equals("down")) {
                down.add(site);
            }
        });
        assertThat(down).isEqualTo(expected);
        assertThat(down).contains(world.sites().get(8)); // site 9, on dns5 only: down through dns1

        // Text lists the sites that go down; the many that stay up are one line unless --all asks for them.
        List<String> up = fates.entrySet().stream()
                .filter(e -> e.getValue().equals("up"))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(up).hasSizeGreaterThan(SimulateCommand.LISTED_UP);
        Cli.Run text = Cli.run("simulate", "--fail", "dns1.test:dns", "--from", out.toString(), "--color", "never");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out())
                .contains("  " + world.sites().get(8) + "  down")
                .contains(up.size() + " sites up, not listed (--all lists them)")
                // Through dns1: the sites on it directly, and those on dns5 alone, whose zone dns1 serves.
                .containsPattern(
                        "\\n  dns1\\.test:dns +" + down.size() + " +" + direct + " +" + (down.size() - direct) + "\\n")
                .contains(down.size() + " of " + fates.size() + " sites down, 0 degraded, " + up.size() + " up.")
                .doesNotContain(up.getFirst() + " ");
        Cli.Run every =
                Cli.run("simulate", "--fail", "dns1.test:dns", "--from", out.toString(), "--color", "never", "--all");
        assertThat(every.out()).contains("  " + up.getFirst() + " ").doesNotContain("not listed");
        assertThat(every.out().lines()).as("lines ending in blanks").noneMatch(line -> line.endsWith(" "));
    }

    @Test
    void eachFailedProviderIsNamedOnceWithTheServicesItGivesTheSite() {
        List<Simulation.Path> paths = List.of(
                new Simulation.Path("cdn", "cloudflare:cdn", false),
                new Simulation.Path("content", "cloudflare:content", false),
                new Simulation.Path("content", "cloudflare:cdn", true),
                new Simulation.Path("content", "cloudflare:cdn", true));

        assertThat(SimulateCommand.via(paths))
                .isEqualTo("cloudflare:cdn (cdn; content indirectly), cloudflare:content");
        assertThat(SimulateCommand.via(List.of(new Simulation.Path("dns", "dns-01.example:dns", true))))
                .isEqualTo("dns-01.example:dns (dns indirectly)");
        // An ASN names no service.
        assertThat(SimulateCommand.via(List.of(new Simulation.Path("web", "AS13335", false))))
                .isEqualTo("AS13335 (web)");
    }

    @Test
    void aTallyKeepsOnlyTheSitesItsOutputLists() {
        // A scan directory of millions of sites is read in one pass: what stays up is counted, not kept, unless
        // text output will list it; JSON output writes every site as it comes and keeps none.
        Simulation.SiteFate down = new Simulation.SiteFate(
                "down.test", Simulation.Fate.DOWN, List.of("dns"), List.of(new Simulation.Path("dns", "p:dns", false)));
        SimulateCommand.Tally text = new SimulateCommand.Tally(true, false);
        SimulateCommand.Tally all = new SimulateCommand.Tally(true, true);
        SimulateCommand.Tally json = new SimulateCommand.Tally(false, false);
        for (SimulateCommand.Tally tally : List.of(text, all, json)) {
            tally.add(down);
            for (int i = 0; i < 10_000; i++) {
                tally.add(new Simulation.SiteFate("s" + i + ".test", Simulation.Fate.UP, List.of(), List.of()));
            }
            assertThat(tally.count(Simulation.Fate.UP)).isEqualTo(10_000);
            assertThat(tally.sites()).isEqualTo(10_001);
        }
        assertThat(text.kept()).isEqualTo(1);
        assertThat(text.listed()).containsExactly(down);
        assertThat(all.kept()).isEqualTo(10_001);
        assertThat(all.listed()).hasSize(10_001).startsWith(down);
        assertThat(json.kept()).isZero();
    }

    @Test
    void aTallyListsTheFirstSitesDownOrDegradedAndCountsTheRest() {
        // One large provider failing in a scan of a top list takes down hundreds of thousands of sites: text output
        // lists the first (down before degraded, then by domain) and counts the others; --all lists them all.
        SimulateCommand.Tally text = new SimulateCommand.Tally(true, false);
        SimulateCommand.Tally all = new SimulateCommand.Tally(true, true);
        List<Simulation.SiteFate> degraded = new ArrayList<>();
        List<Simulation.SiteFate> down = new ArrayList<>();
        for (int i = 1_499; i >= 0; i--) {
            degraded.add(fate(String.format(Locale.ROOT, "a%04d.test", i), Simulation.Fate.DEGRADED));
        }
        for (int i = 0; i < 600; i++) {
            down.add(fate(String.format(Locale.ROOT, "z%04d.test", i), Simulation.Fate.DOWN));
        }
        for (SimulateCommand.Tally tally : List.of(text, all)) {
            // Interleaved, so that neither kind comes first in the input.
            for (int i = 0; i < degraded.size(); i++) {
                tally.add(degraded.get(i));
                if (i < down.size()) {
                    tally.add(down.get(down.size() - 1 - i));
                }
            }
        }

        int degradedListed = SimulateCommand.LISTED_HIT - down.size();
        assertThat(text.kept()).isEqualTo(SimulateCommand.LISTED_HIT);
        assertThat(text.hitNotListed()).isEqualTo(2_100 - SimulateCommand.LISTED_HIT);
        assertThat(text.listed().subList(0, down.size())).containsExactlyElementsOf(down);
        assertThat(text.listed().subList(down.size(), SimulateCommand.LISTED_HIT))
                .containsExactlyElementsOf(degraded.reversed().subList(0, degradedListed));
        assertThat(all.hitNotListed()).isZero();
        assertThat(all.listed()).hasSize(2_100).startsWith(down.toArray(Simulation.SiteFate[]::new));
    }

    private static Simulation.SiteFate fate(String domain, Simulation.Fate fate) {
        return new Simulation.SiteFate(
                domain, fate, List.of("dns"), List.of(new Simulation.Path("dns", "p:dns", false)));
    }

    @Test
    void unknownScenarioIsAUsageErrorListingTheKnownOnes() {
        Cli.Run run = Cli.run("simulate", "--scenario", "meteor-2030", "--from", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err())
                .contains("meteor-2030")
                .contains("cloudflare-2025-11-18")
                .contains("fastly-2021-06-08");
    }

    private static Cli.Run failOnSample(String what, Path datasets) {
        return Cli.run(
                "simulate",
                "--fail",
                what,
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                "--color",
                "never");
    }

    @Test
    void aMisspelledProviderIsWarnedAboutInsteadOfReadingAsEverySiteUp() throws Exception {
        Path datasets = Cli.datasets(dir.resolve("d"));
        // "cloudfare" names nothing: without the warning, "0 of 4 sites down" would read as an answer. Fastly is in
        // the datasets and AS64500 is a network: that no sample site uses them is the answer, not a mistake.
        Cli.Run run = failOnSample("cloudfare,fastly,AS64500", datasets);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("0 of 4 sites down");
        assertThat(run.err().lines().filter(l -> l.startsWith("chokepoint: warning:")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("--fail cloudfare")
                .contains("check the spelling");

        // Spelt right, it takes sites down and warns of nothing.
        Cli.Run right = failOnSample("cloudflare", datasets);
        assertThat(right.exitCode()).as(right.err()).isZero();
        assertThat(right.err()).doesNotContain("warning");
        assertThat(right.out()).doesNotContain("0 of 4 sites down");
    }

    @Test
    void anUnknownServiceOrAShapelessNameIsAUsageErrorNamingIt() {
        Cli.Run service = Cli.run("simulate", "--fail", "cloudflare:cdnn", "--from", dir.toString());
        assertThat(service.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(service.err().strip())
                .isEqualTo("chokepoint: --fail 'cloudflare:cdnn': unknown service 'cdnn' (expected "
                        + dev.chokepoint.provider.Service.ids() + ")");

        Cli.Run shapeless = Cli.run("simulate", "--fail", ":dns", "--from", dir.toString());
        assertThat(shapeless.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(shapeless.err()).contains("--fail ':dns': not a provider, organisation or network");
    }

    @Test
    void nothingToFailIsAUsageError() {
        assertThat(Cli.run("simulate", "--from", dir.toString()).exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void directoryWithoutResultsIsAUsageError() {
        Cli.Run run = Cli.run("simulate", "--fail", "cloudflare", "--from", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("not a scan directory");
    }
}
