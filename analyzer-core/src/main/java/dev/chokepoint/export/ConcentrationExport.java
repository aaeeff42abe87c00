package dev.chokepoint.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chokepoint.assess.ConcentrationHalfDown;
import dev.chokepoint.assess.ConcentrationReport;
import dev.chokepoint.assess.MarketStructure;
import dev.chokepoint.assess.ProviderImpact;
import dev.chokepoint.assess.SharedFate;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a concentration report as JSON and as CSV (one row per service and provider). */
public final class ConcentrationExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConcentrationExport() {}

    /** The report as a JSON tree. */
    public static ObjectNode toJson(ConcentrationReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("sites", report.sites());
        ObjectNode services = root.putObject("services");
        for (Map.Entry<String, List<ProviderImpact>> entry : report.impacts().entrySet()) {
            ObjectNode service = services.putObject(entry.getKey());
            MarketStructure market = report.markets().get(entry.getKey());
            if (market != null) {
                ObjectNode m = service.putObject("market");
                m.put("sites", market.sites());
                m.put("thirdPartySites", market.thirdPartySites());
                m.put("providers", market.providers());
                m.put("hhi", round(market.hhi()));
                m.put("cr1", round(market.cr1()));
                m.put("cr3", round(market.cr3()));
                m.put("cr5", round(market.cr5()));
                m.put("gini", round(market.gini()));
            }
            providers(service.putArray("providers"), entry.getValue());
        }
        providers(root.putArray("combined"), report.combined());
        ConcentrationHalfDown half = report.halfDown();
        ObjectNode h = root.putObject("halfDown");
        h.put("workingSites", half.workingSites());
        h.put("target", half.target());
        h.put("reached", half.reached());
        h.put("providers", half.size());
        ArrayNode steps = h.putArray("steps");
        for (ConcentrationHalfDown.Step step : half.steps()) {
            steps.addObject()
                    .put("component", step.component())
                    .put("sitesDown", step.sitesDown())
                    .put("added", step.added());
        }
        ArrayNode fate = root.putArray("sharedFate");
        for (SharedFate group : report.sharedFate()) {
            ObjectNode g = fate.addObject();
            g.put("sites", group.sites());
            ArrayNode ns = g.putArray("nameservers");
            group.nameservers().forEach(ns::add);
            ArrayNode examples = g.putArray("examples");
            group.examples().forEach(examples::add);
        }
        return root;
    }

    private static void providers(ArrayNode array, List<ProviderImpact> impacts) {
        for (ProviderImpact p : impacts) {
            ObjectNode node = array.addObject();
            node.put("id", p.id());
            node.put("name", p.name());
            node.put("directSites", p.directSites());
            node.put("allSites", p.allSites());
            node.put("directImpact", p.directImpact());
            node.put("allImpact", p.allImpact());
            if (p.amplification().isPresent()) {
                node.put("amplification", round(p.amplification().getAsDouble()));
            } else {
                node.putNull("amplification");
            }
            node.put("firstPartySites", p.firstPartySites());
            node.put("unknownPartySites", p.unknownPartySites());
        }
    }

    /** Writes the JSON form. */
    public static void writeJson(ConcentrationReport report, Writer out) throws IOException {
        out.write(JSON.writeValueAsString(toJson(report)));
        out.write(System.lineSeparator());
    }

    /** Writes one CSV row per service and provider, with a header row. */
    public static void writeCsv(ConcentrationReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(
                                "service",
                                "provider",
                                "name",
                                "direct_sites",
                                "all_sites",
                                "direct_impact",
                                "all_impact",
                                "amplification",
                                "share",
                                "first_party_sites",
                                "unknown_party_sites")
                        .get());
        for (Map.Entry<String, List<ProviderImpact>> entry : report.impacts().entrySet()) {
            MarketStructure market = report.markets().get(entry.getKey());
            for (ProviderImpact p : entry.getValue()) {
                double share = market == null
                        ? 0
                        : market.shares().stream()
                                .filter(s -> s.id().equals(p.id()))
                                .mapToDouble(MarketStructure.Share::share)
                                .findFirst()
                                .orElse(0);
                csv.printRecord(
                        entry.getKey(),
                        p.id(),
                        p.name(),
                        p.directSites(),
                        p.allSites(),
                        p.directImpact(),
                        p.allImpact(),
                        p.amplification().isPresent() ? format(p.amplification().getAsDouble()) : "",
                        format(share),
                        p.firstPartySites(),
                        p.unknownPartySites());
            }
        }
        csv.flush();
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 10_000) / 10_000.0 : 0;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
