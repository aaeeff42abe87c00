package dev.chokepoint.export.rdf;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.SchemaDO;
import org.apache.jena.vocabulary.VOID;

/**
 * Writes a graph as compacted JSON-LD 1.1 with the published context inline: one node object per subject, sorted by
 * IRI, keys and values sorted, so that the same graph always gives the same bytes. Typed values are written as strings
 * that the context's type coercion turns back into the same literals.
 */
final class JsonLdWriter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID = "@id";
    private static final String STRING = "";

    /** Term name to {@code [IRI, coercion]}: {@code @id} for IRIs, an XSD type, or empty for plain strings. */
    private static final Map<String, String[]> TERMS = terms();

    private JsonLdWriter() {}

    private static Map<String, String[]> terms() {
        Map<String, String[]> terms = new LinkedHashMap<>();
        for (String name : List.of(
                "asnDataset",
                "auditError",
                "check",
                "domain",
                "findingSubject",
                "hostName",
                "ipAddress",
                "lookupOutcome",
                "organisationId",
                "providerId",
                "record",
                "registrant",
                "resolver",
                "resourceKind",
                "rule",
                "subjectName",
                "toolVersion",
                "unicodeName",
                "url",
                "zone")) {
            terms.put(name, new String[] {CP.NS + name, STRING});
        }
        for (String name : List.of(
                "blocking",
                "critical",
                "indirect",
                "inferred",
                "integrity",
                "known",
                "redundant",
                "required",
                "singlePointOfFailure",
                "thirdParty")) {
            terms.put(name, new String[] {CP.NS + name, XSDDatatype.XSDboolean.getURI()});
        }
        for (String name : List.of("asn", "penalty", "score")) {
            terms.put(name, new String[] {CP.NS + name, XSDDatatype.XSDinteger.getURI()});
        }
        for (String name : List.of(
                "dependant",
                "dependency",
                "dependsOn",
                "finding",
                "graph",
                "host",
                "nameserver",
                "pageResource",
                "party",
                "provider",
                "providerUse",
                "relation",
                "requirement",
                "service",
                "serviceAssessment",
                "severity",
                "site",
                "strength")) {
            terms.put(name, new String[] {CP.NS + name, ID});
        }
        terms.put("created", new String[] {DCTerms.created.getURI(), XSDDatatype.XSDdateTime.getURI()});
        terms.put("description", new String[] {DCTerms.description.getURI(), STRING});
        terms.put("endedAtTime", new String[] {PROV.endedAtTime.getURI(), XSDDatatype.XSDdateTime.getURI()});
        terms.put("label", new String[] {RDFS.label.getURI(), STRING});
        terms.put("name", new String[] {SchemaDO.name.getURI(), STRING});
        terms.put("organisation", new String[] {SchemaDO.provider.getURI(), ID});
        terms.put("source", new String[] {DCTerms.source.getURI(), STRING});
        terms.put("startedAtTime", new String[] {PROV.startedAtTime.getURI(), XSDDatatype.XSDdateTime.getURI()});
        terms.put("title", new String[] {DCTerms.title.getURI(), STRING});
        terms.put("triples", new String[] {VOID.triples.getURI(), XSDDatatype.XSDinteger.getURI()});
        terms.put("vocabulary", new String[] {VOID.vocabulary.getURI(), ID});
        terms.put("wasDerivedFrom", new String[] {PROV.wasDerivedFrom.getURI(), ID});
        terms.put("wasGeneratedBy", new String[] {PROV.wasGeneratedBy.getURI(), ID});
        return java.util.Collections.unmodifiableMap(terms);
    }

    /** The context object: prefixes, {@code id} and {@code type} aliases, then the terms. */
    static ObjectNode context() {
        ObjectNode context = JSON.objectNode();
        RdfExport.prefixes().forEach(context::put);
        context.put("id", "@id");
        context.put("type", "@type");
        TERMS.forEach((name, definition) -> {
            String iri = compact(definition[0]);
            if (definition[1].equals(STRING)) {
                context.put(name, iri);
            } else {
                ObjectNode term = context.putObject(name);
                term.put("@id", iri);
                term.put("@type", definition[1].equals(ID) ? ID : compact(definition[1]));
            }
        });
        return context;
    }

    /** The published context document, {@code {"@context": ...}}, pretty-printed. */
    static String contextDocument() {
        ObjectNode document = JSON.objectNode();
        document.set("@context", context());
        return print(document);
    }

    /** Writes {@code graph} to {@code out}. */
    static void write(Graph graph, OutputStream out) throws IOException {
        Map<String, Map<String, List<JsonNode>>> nodes = new TreeMap<>();
        Map<String, String> termByIri = new LinkedHashMap<>();
        TERMS.forEach((name, definition) -> termByIri.put(definition[0], name));
        for (Triple triple : (Iterable<Triple>) () -> graph.find()) {
            String subject = id(triple.getSubject());
            Map<String, List<JsonNode>> node = nodes.computeIfAbsent(subject, s -> new TreeMap<>());
            Node predicate = triple.getPredicate();
            Node object = triple.getObject();
            if (predicate.equals(RDF.type.asNode()) && object.isURI()) {
                node.computeIfAbsent("type", k -> new ArrayList<>()).add(JSON.textNode(compact(object.getURI())));
                continue;
            }
            String term = termByIri.get(predicate.getURI());
            String key = term != null ? term : compact(predicate.getURI());
            String coercion = term != null ? TERMS.get(term)[1] : null;
            node.computeIfAbsent(key, k -> new ArrayList<>()).add(value(object, coercion));
        }
        ArrayNode list = JSON.arrayNode();
        nodes.forEach((subject, properties) -> {
            ObjectNode node = list.addObject();
            node.put("id", subject);
            List<JsonNode> types = properties.get("type");
            if (types != null) {
                node.set("type", values(types));
            }
            properties.forEach((key, values) -> {
                if (!key.equals("type")) {
                    node.set(key, values(values));
                }
            });
        });
        ObjectNode document = JSON.objectNode();
        document.set("@context", context());
        document.set("@graph", list);
        out.write(print(document).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonNode values(List<JsonNode> values) {
        List<JsonNode> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparing(JsonNode::toString));
        if (sorted.size() == 1) {
            return sorted.getFirst();
        }
        ArrayNode array = JSON.arrayNode();
        sorted.forEach(array::add);
        return array;
    }

    private static JsonNode value(Node object, String coercion) {
        if (!object.isLiteral()) {
            if (ID.equals(coercion)) {
                return JSON.textNode(object.isURI() ? compact(object.getURI()) : id(object));
            }
            ObjectNode reference = JSON.objectNode();
            reference.put("@id", object.isURI() ? object.getURI() : id(object));
            return reference;
        }
        String lexical = object.getLiteralLexicalForm();
        String datatype = object.getLiteralDatatypeURI();
        String language = object.getLiteralLanguage();
        boolean plain = language.isEmpty() && XSDDatatype.XSDstring.getURI().equals(datatype);
        if ((STRING.equals(coercion) && plain) || (coercion != null && coercion.equals(datatype))) {
            return JSON.textNode(lexical);
        }
        ObjectNode value = JSON.objectNode();
        value.put("@value", lexical);
        if (!language.isEmpty()) {
            value.put("@language", language);
        } else if (!plain) {
            value.put("@type", datatype);
        }
        return value;
    }

    private static String id(Node node) {
        return node.isURI() ? node.getURI() : "_:" + node.getBlankNodeLabel();
    }

    /** {@code prefix:local} when a declared namespace covers {@code iri} with a non-empty local part. */
    private static String compact(String iri) {
        for (var prefix : RdfExport.prefixes().entrySet()) {
            String namespace = prefix.getValue();
            if (iri.startsWith(namespace) && iri.length() > namespace.length()) {
                String local = iri.substring(namespace.length());
                if (local.matches("[A-Za-z][A-Za-z0-9_-]*")) {
                    return prefix.getKey() + ":" + local;
                }
            }
        }
        return iri;
    }

    private static String print(JsonNode document) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        printer.indentArraysWith(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer)
                            .without(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
                            .writeValueAsString(document)
                    + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON-LD", e);
        }
    }
}
