/** Audit targets: domain names parsed from user input, normalised once (IDNA, case, trailing dot). */
package dev.chokepoint.target;
