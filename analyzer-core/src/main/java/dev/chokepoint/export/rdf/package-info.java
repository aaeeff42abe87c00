/**
 * The RDF export: the Chokepoint vocabulary, IRIs minted from the input, the export of a batch to Turtle, N-Triples,
 * JSON-LD and TriG, a TDB2 store of runs, and SPARQL over exports and stores.
 */
package dev.chokepoint.export.rdf;
