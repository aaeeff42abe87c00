/** DNS collection: typed query outcomes, the dnsjava adapter, and the collector that asks a site's questions. */
package dev.chokepoint.dns;
