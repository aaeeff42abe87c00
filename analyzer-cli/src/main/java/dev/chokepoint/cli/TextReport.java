package dev.chokepoint.cli;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.provider.Party;
import dev.chokepoint.scan.AuditResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Help.Ansi;

/** The human-readable audit report: one block per site, aligned tables, severity in colour on a terminal. */
final class TextReport {
    private final PrintWriter out;
    private final Ansi ansi;
    private final int width;

    TextReport(PrintWriter out, boolean colour) {
        this.out = out;
        this.ansi = colour ? Ansi.ON : Ansi.OFF;
        this.width = Terminal.width();
    }

    void print(List<AuditResult> results, Datasets datasets, boolean web) {
        for (AuditResult result : results) {
            if (result.ok()) {
                site(result, result.assessment().orElseThrow());
            } else {
                out.println(style("bold", result.domain().unicode()) + "  " + style("red,bold", "NOT AUDITED"));
                out.println("  " + result.error().orElse(""));
                out.println();
            }
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        String asn = datasets.asns().isEmpty()
                ? "no IP-to-ASN table (run datasets/asn/fetch)"
                : "IP-to-ASN table "
                        + datasets.asns()
                                .date()
                                .map(Object::toString)
                                .orElse(datasets.asns().version()) + " (DB-IP, CC BY 4.0)";
        out.println(style(
                "faint",
                results.size() + (results.size() == 1 ? " site" : " sites") + " audited"
                        + (failed > 0 ? ", " + failed + " not audited" : "") + " · "
                        + (web ? "DNS and web" : "DNS only") + " · providers dataset "
                        + datasets.catalog().version() + " ("
                        + datasets.catalog().organisationCount()
                        + " organisations) · " + asn));
    }

    private void site(AuditResult result, SiteAssessment site) {
        String name =
                site.unicode().equals(site.domain()) ? site.domain() : site.unicode() + " (" + site.domain() + ")";
        String score = "score " + site.score() + "/100";
        String scoreStyle = site.score() >= 80 ? "green,bold" : site.score() >= 50 ? "yellow,bold" : "red,bold";
        int gap = Math.max(2, width - name.length() - score.length());
        out.println(style("bold", name) + " ".repeat(gap) + style(scoreStyle, score));
        out.println(style("faint", "zone " + site.zone()));
        out.println();

        List<String[]> rows = new ArrayList<>();
        List<String[]> styles = new ArrayList<>();
        for (ServiceAssessment service : site.services()) {
            String status = service.critical()
                    ? "single point of failure"
                    : service.redundant() ? "redundant" : service.providers().isEmpty() ? "unattributed" : "ok";
            if (!service.required() && service.critical()) {
                status = "single provider (soft)";
            }
            String statusStyle = service.critical() && service.required()
                    ? "red,bold"
                    : service.critical() ? "yellow" : service.redundant() ? "green" : "";
            boolean first = true;
            List<ProviderUse> providers = service.providers().isEmpty() ? List.of() : service.providers();
            if (providers.isEmpty()) {
                rows.add(new String[] {service.service().id(), status, "-", ""});
                styles.add(new String[] {"bold", statusStyle, "", ""});
            }
            for (ProviderUse use : providers) {
                String provider = use.provider().displayName() + (use.indirect() ? " (indirect)" : "");
                String party =
                        use.party() == Party.FIRST ? "own" : use.party() == Party.THIRD ? "third party" : "unknown";
                rows.add(new String[] {first ? service.service().id() : "", first ? status : "", provider, party});
                styles.add(new String[] {
                    "bold", first ? statusStyle : "", use.singlePointOfFailure() ? "bold" : "", "faint"
                });
                first = false;
            }
        }
        table(new String[] {"SERVICE", "STATUS", "PROVIDER", "PARTY"}, rows, styles);
        out.println();

        if (site.findings().isEmpty()) {
            out.println("  " + style("green", "no findings"));
        } else {
            int idWidth = site.findings().stream()
                    .mapToInt(f -> f.id().length())
                    .max()
                    .orElse(10);
            for (Finding finding : site.findings()) {
                String severity = pad(finding.severity().name(), 9);
                String prefix =
                        "  " + style(severityStyle(finding.severity()), severity) + pad(finding.id(), idWidth + 2);
                int indent = 2 + 9 + idWidth + 2;
                List<String> lines = wrap(finding.message(), Math.max(30, width - indent));
                out.println(prefix + lines.getFirst());
                for (String line : lines.subList(1, lines.size())) {
                    out.println(" ".repeat(indent) + line);
                }
            }
        }
        out.println();
    }

    private void table(String[] header, List<String[]> rows, List<String[]> styles) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder head = new StringBuilder("  ");
        for (int i = 0; i < header.length; i++) {
            head.append(pad(header[i], widths[i] + 2));
        }
        out.println(style("faint", head.toString().stripTrailing()));
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < header.length; i++) {
                String cell = pad(rows.get(r)[i], widths[i] + 2);
                line.append(style(styles.get(r)[i], cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** "1 site", "2 sites": a count of sites for text people read. */
    static String sites(long count) {
        return count(count, "site");
    }

    /** The width of a table column: its header's or its longest cell's, whichever is longer. */
    static int width(String header, Stream<String> cells) {
        return Math.max(header.length(), cells.mapToInt(String::length).max().orElse(0));
    }

    /** The count and the noun, plural unless the count is 1 ("1 more site", "3 more sites"). */
    static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String severityStyle(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "red,bold,reverse";
            case HIGH -> "red,bold";
            case MEDIUM -> "yellow";
            case LOW -> "cyan";
            case INFO -> "faint";
        };
    }

    private String style(String styles, String text) {
        if (styles.isEmpty() || text.isEmpty()) {
            return text;
        }
        return ansi.string("@|" + styles + " " + text.replace("|@", "| @") + "|@");
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
