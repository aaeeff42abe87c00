/** Snapshots: every DNS exchange written to and read back from WARC (ISO 28500), for offline replay. */
package dev.chokepoint.snapshot;
