/** Exports of audit results: JSON, RDF, GraphML, DOT and CSV, concentration tables and charts. */
package dev.chokepoint.export;
