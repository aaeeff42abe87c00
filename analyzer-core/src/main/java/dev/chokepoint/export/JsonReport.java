package dev.chokepoint.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.assess.Survival;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.scan.AuditResult;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes audit results as the JSON document described in the README: {@code {"results": [...], "datasets": {...}}}.
 * Field order is fixed and no clock time is written, so that a replayed audit gives the same bytes as the live one.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    /** The JSON tree of {@code results}. */
    public static ObjectNode toJson(List<AuditResult> results, Datasets datasets) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("results");
        for (AuditResult result : results) {
            array.add(result(result));
        }
        ObjectNode data = root.putObject("datasets");
        data.put("providers", datasets.catalog().version());
        data.put("organisations", datasets.catalog().organisationCount());
        data.put("patterns", datasets.catalog().patternCount());
        data.put("asnTable", datasets.asns().version());
        datasets.asns()
                .date()
                .ifPresentOrElse(d -> data.put("asnTableDate", d.toString()), () -> data.putNull("asnTableDate"));
        return root;
    }

    /** Writes {@code results} to {@code out}, indented, with a final newline. */
    public static void write(List<AuditResult> results, Datasets datasets, Writer out) throws IOException {
        out.write(MAPPER.writeValueAsString(toJson(results, datasets)));
        out.write(System.lineSeparator());
        out.flush();
    }

    /** One result object, as in a batch's newline-delimited output. */
    public static ObjectNode result(AuditResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("target", result.target());
        node.put("domain", result.domain().ascii());
        node.put("unicode", result.domain().unicode());
        node.put("status", result.ok() ? "ok" : "error");
        if (result.error().isPresent()) {
            node.put("error", result.error().get());
        }
        result.assessment().ifPresent(a -> assessment(node, a));
        return node;
    }

    private static void assessment(ObjectNode node, SiteAssessment assessment) {
        node.put("zone", assessment.zone());
        node.put("score", assessment.score());
        ArrayNode services = node.putArray("services");
        for (ServiceAssessment service : assessment.services()) {
            ObjectNode s = services.addObject();
            s.put("service", service.service().id());
            s.put("required", service.required());
            s.put("critical", service.critical());
            s.put("redundant", service.redundant());
            ArrayNode providers = s.putArray("providers");
            for (ProviderUse use : service.providers()) {
                ObjectNode p = providers.addObject();
                p.put("id", use.provider().id());
                p.put("name", use.provider().displayName());
                p.put("organisation", use.provider().name());
                p.put("thirdParty", use.thirdParty());
                p.put("party", use.party().id());
                p.put("known", use.provider().known());
                p.put("indirect", use.indirect());
                p.put("singlePointOfFailure", use.singlePointOfFailure());
                ArrayNode evidence = p.putArray("evidence");
                for (Evidence e : use.evidence()) {
                    ObjectNode ev = evidence.addObject();
                    ev.put("record", e.record());
                    ev.put("rule", e.rule());
                }
            }
        }
        if (!assessment.resources().isEmpty()) {
            ArrayNode resources = node.putArray("resources");
            for (var resource : assessment.resources()) {
                ObjectNode r = resources.addObject();
                r.put("url", resource.url());
                r.put("host", resource.host());
                r.put("kind", resource.kind());
                r.put("blocking", resource.blocking());
                r.put("thirdParty", resource.thirdParty());
                r.put("provider", resource.providerId());
                r.put("integrity", resource.integrity());
                r.put("inferred", resource.inferred());
            }
        }
        ArrayNode nameservers = node.putArray("nameservers");
        assessment.nameservers().forEach(nameservers::add);
        ArrayNode survival = node.putArray("survival");
        for (Survival formula : assessment.survival()) {
            ObjectNode f = survival.addObject();
            f.put("service", formula.service());
            f.put("required", formula.required());
            ArrayNode alternatives = f.putArray("alternatives");
            for (var alternative : formula.alternatives()) {
                ArrayNode components = alternatives.addArray();
                alternative.forEach(components::add);
            }
            if (formula.truncated()) {
                f.put("truncated", true);
            }
        }
        ArrayNode findings = node.putArray("findings");
        for (Finding finding : assessment.findings()) {
            ObjectNode f = findings.addObject();
            f.put("id", finding.id());
            f.put("severity", finding.severity().id());
            f.put("service", finding.service());
            f.put("subject", finding.subject());
            f.put("message", finding.message());
        }
    }
}
