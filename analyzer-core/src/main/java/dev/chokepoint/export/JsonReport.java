package dev.chokepoint.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.assess.Survival;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.scan.AuditResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes audit results as the JSON document described in the README: {@code {"results": [...], "datasets": {...}}}.
 * Field order is fixed and no clock time is written, so that a replayed audit gives the same bytes as the live one.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes result lines. A scan writes them on its virtual threads, one per site, and Jackson's default buffer pool
     * keeps a generator's buffers per thread: each line allocated them afresh (12 KB, about 6% of a scan's
     * allocation). A pool shared by all threads hands them on.
     */
    private static final JsonFactory LINES = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build();

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
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            write(result, buffer);
            return MAPPER.readTree(buffer.asParserOnFirstToken());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a result's JSON", e);
        }
    }

    /**
     * One result as a line of a scan's results file: compact JSON in UTF-8, without the line end, the bytes that
     * {@link #result} would serialise to, written straight from the result without building the tree.
     */
    public static byte[] line(AuditResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        line(result, bytes);
        return bytes.toByteArray();
    }

    /** Writes {@link #line(AuditResult)}'s bytes to {@code out}, for a caller that reuses its buffer. */
    public static void line(AuditResult result, OutputStream out) {
        try (JsonGenerator generator = LINES.createGenerator(out)) {
            write(result, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a result", e);
        }
    }

    private static void write(AuditResult result, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("target", result.target());
        g.writeStringField("domain", result.domain().ascii());
        g.writeStringField("unicode", result.domain().unicode());
        g.writeStringField("status", result.ok() ? "ok" : "error");
        if (result.error().isPresent()) {
            g.writeStringField("error", result.error().get());
        }
        if (result.dnsFailure().isPresent()) {
            g.writeStringField("errorKind", result.dnsFailure().get().id());
        }
        if (result.assessment().isPresent()) {
            assessment(g, result.assessment().get());
        }
        g.writeEndObject();
    }

    private static void assessment(JsonGenerator g, SiteAssessment assessment) throws IOException {
        g.writeStringField("zone", assessment.zone());
        g.writeNumberField("score", assessment.score());
        g.writeArrayFieldStart("services");
        for (ServiceAssessment service : assessment.services()) {
            g.writeStartObject();
            g.writeStringField("service", service.service().id());
            g.writeBooleanField("required", service.required());
            g.writeBooleanField("critical", service.critical());
            g.writeBooleanField("redundant", service.redundant());
            g.writeArrayFieldStart("providers");
            for (ProviderUse use : service.providers()) {
                g.writeStartObject();
                g.writeStringField("id", use.provider().id());
                g.writeStringField("name", use.provider().displayName());
                g.writeStringField("organisation", use.provider().name());
                g.writeBooleanField("thirdParty", use.thirdParty());
                g.writeStringField("party", use.party().id());
                g.writeBooleanField("known", use.provider().known());
                g.writeBooleanField("indirect", use.indirect());
                g.writeBooleanField("singlePointOfFailure", use.singlePointOfFailure());
                g.writeArrayFieldStart("evidence");
                for (Evidence e : use.evidence()) {
                    g.writeStartObject();
                    g.writeStringField("record", e.record());
                    g.writeStringField("rule", e.rule());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!assessment.resources().isEmpty()) {
            g.writeArrayFieldStart("resources");
            for (var resource : assessment.resources()) {
                g.writeStartObject();
                g.writeStringField("url", resource.url());
                g.writeStringField("host", resource.host());
                g.writeStringField("kind", resource.kind());
                g.writeBooleanField("blocking", resource.blocking());
                g.writeBooleanField("thirdParty", resource.thirdParty());
                g.writeStringField("provider", resource.providerId());
                g.writeBooleanField("integrity", resource.integrity());
                g.writeBooleanField("inferred", resource.inferred());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("nameservers");
        for (String nameserver : assessment.nameservers()) {
            g.writeString(nameserver);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("survival");
        for (Survival formula : assessment.survival()) {
            g.writeStartObject();
            g.writeStringField("service", formula.service());
            g.writeBooleanField("required", formula.required());
            g.writeArrayFieldStart("alternatives");
            for (var alternative : formula.alternatives()) {
                g.writeStartArray();
                for (String component : alternative) {
                    g.writeString(component);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            if (formula.truncated()) {
                g.writeBooleanField("truncated", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("findings");
        for (Finding finding : assessment.findings()) {
            g.writeStartObject();
            g.writeStringField("id", finding.id());
            g.writeStringField("severity", finding.severity().id());
            g.writeStringField("service", finding.service());
            g.writeStringField("subject", finding.subject());
            g.writeStringField("message", finding.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
