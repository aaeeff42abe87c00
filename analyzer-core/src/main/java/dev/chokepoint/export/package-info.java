/** Exports of audit results: the JSON report. */
package dev.chokepoint.export;
