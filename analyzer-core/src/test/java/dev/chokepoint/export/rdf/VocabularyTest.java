package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.testdns.World;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.OWL;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.XSD;
import org.junit.jupiter.api.Test;

/** The published vocabulary, context and shapes agree with each other and with the code. */
class VocabularyTest {
    private static final Path DIR = World.root().resolve("datasets/vocabulary");
    private static final Model VOCABULARY =
            RDFDataMgr.loadModel(DIR.resolve("chokepoint.ttl").toString());

    private static List<Resource> terms() {
        List<Resource> terms = new ArrayList<>();
        VOCABULARY.listSubjects().forEachRemaining(s -> {
            if (s.isURIResource() && s.getURI().startsWith(CP.NS) && !s.getURI().equals(CP.NS)) {
                terms.add(s);
            }
        });
        return terms;
    }

    @Test
    void ontologyHasVersionTitleDescriptionAndLicence() {
        Resource ontology = VOCABULARY.getResource(CP.NS);

        assertThat(ontology.hasProperty(RDF.type, OWL.Ontology)).isTrue();
        assertThat(ontology.hasProperty(OWL.versionInfo)).isTrue();
        assertThat(ontology.hasProperty(DCTerms.title)).isTrue();
        assertThat(ontology.hasProperty(DCTerms.description)).isTrue();
        assertThat(ontology.hasProperty(DCTerms.license)).isTrue();
    }

    @Test
    void everyClassPropertyAndInstanceHasALabelAndAComment() {
        List<Resource> terms = terms();

        assertThat(terms).hasSizeGreaterThan(80);
        assertThat(terms).allSatisfy(term -> {
            assertThat(term.hasProperty(RDFS.label)).as(term + " label").isTrue();
            assertThat(term.hasProperty(RDFS.comment)).as(term + " comment").isTrue();
            assertThat(term.hasProperty(RDF.type)).as(term + " type").isTrue();
        });
    }

    @Test
    void everyTermOfTheVocabularyClassIsDefinedAndEveryDefinedTermHasAConstant() throws Exception {
        Set<String> constants = new TreeSet<>();
        for (Field field : CP.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof Resource r) {
                constants.add(r.getURI());
            }
        }
        constants.remove(CP.NS);
        Set<String> defined = new TreeSet<>();
        terms().forEach(t -> defined.add(t.getURI()));

        assertThat(constants).isEqualTo(defined);
    }

    @Test
    void everyVocabularyTermTheExportUsesIsDefined() throws Exception {
        var union = RdfExport.union(RdfExport.dataset(WorldBatch.batch("vocab", WorldBatch.audit())));
        Set<String> used = new TreeSet<>();
        union.find().forEachRemaining(t -> {
            for (var node : List.of(t.getPredicate(), t.getObject())) {
                if (node.isURI()
                        && node.getURI().startsWith(CP.NS)
                        && !node.getURI().equals(CP.NS)) {
                    used.add(node.getURI());
                }
            }
        });
        Set<String> defined = new TreeSet<>();
        terms().forEach(t -> defined.add(t.getURI()));

        assertThat(used).hasSizeGreaterThan(40);
        assertThat(defined).containsAll(used);
    }

    @Test
    void publishedContextIsTheOneTheExportEmbeds() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(json.readTree(Files.readString(DIR.resolve("context.jsonld"))))
                .isEqualTo(json.readTree(RdfExport.context()));
    }

    @Test
    void contextCoercesEveryPropertyAsItsRangeSays() throws Exception {
        JsonNode context = new ObjectMapper()
                .readTree(Files.readString(DIR.resolve("context.jsonld")))
                .get("@context");
        List<Resource> properties = new ArrayList<>();
        VOCABULARY.listSubjectsWithProperty(RDF.type, OWL.ObjectProperty).forEachRemaining(properties::add);
        VOCABULARY.listSubjectsWithProperty(RDF.type, OWL.DatatypeProperty).forEachRemaining(properties::add);

        assertThat(properties).hasSizeGreaterThan(40);
        for (Resource property : properties) {
            String local = property.getLocalName();
            JsonNode term = context.get(local);
            assertThat(term).as(local).isNotNull();
            RDFNode range = property.getPropertyResourceValue(RDFS.range);
            if (property.hasProperty(RDF.type, OWL.ObjectProperty)) {
                assertThat(term.path("@type").asText()).as(local).isEqualTo("@id");
            } else if (range == null || range.equals(XSD.xstring)) {
                assertThat(term.isTextual()).as(local).isTrue();
                assertThat(term.asText()).isEqualTo("cp:" + local);
            } else {
                assertThat(term.path("@type").asText())
                        .as(local)
                        .isEqualTo("xsd:" + range.asResource().getLocalName());
            }
        }
    }

    @Test
    void shapesTargetOnlyClassesTheVocabularyDefinesOrReuses() {
        Model shapes = RDFDataMgr.loadModel(DIR.resolve("shapes.ttl").toString());
        var targetClass = shapes.createProperty("http://www.w3.org/ns/shacl#targetClass");
        List<String> targets = new ArrayList<>();
        shapes.listObjectsOfProperty(targetClass)
                .forEachRemaining(o -> targets.add(o.asResource().getURI()));

        assertThat(targets).hasSizeGreaterThan(10);
        for (String target : targets) {
            if (target.startsWith(CP.NS)) {
                assertThat(VOCABULARY.contains(VOCABULARY.getResource(target), RDF.type, OWL.Class))
                        .as(target)
                        .isTrue();
            }
        }
    }
}
