package dev.chokepoint.export.rdf;

import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;

/** The terms of the W3C PROV-O ontology that the export uses; Jena ships no vocabulary class for it. */
public final class PROV {
    /** The namespace of PROV-O. */
    public static final String NS = "http://www.w3.org/ns/prov#";

    /** Something that was done over a period of time. */
    public static final Resource Activity = ResourceFactory.createResource(NS + "Activity");
    /** A thing whose provenance is described. */
    public static final Resource Entity = ResourceFactory.createResource(NS + "Entity");
    /** The activity that generated an entity. */
    public static final Property wasGeneratedBy = ResourceFactory.createProperty(NS, "wasGeneratedBy");
    /** An entity another was derived from. */
    public static final Property wasDerivedFrom = ResourceFactory.createProperty(NS, "wasDerivedFrom");
    /** When an activity started. */
    public static final Property startedAtTime = ResourceFactory.createProperty(NS, "startedAtTime");
    /** When an activity ended. */
    public static final Property endedAtTime = ResourceFactory.createProperty(NS, "endedAtTime");

    private PROV() {}

    /** The namespace URI, as schemagen's vocabularies offer it. */
    public static String getURI() {
        return NS;
    }
}
