/** Audits: one site through the whole pipeline, collection to assessment. */
package dev.chokepoint.scan;
