/** The dependency graph: typed vertices (site, service, host, address, network, provider) and dependency edges. */
package dev.chokepoint.graph;
