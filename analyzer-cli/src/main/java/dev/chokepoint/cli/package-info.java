/** The chokepoint command line: picocli commands over analyzer-core, and the only code that prints. */
package dev.chokepoint.cli;
