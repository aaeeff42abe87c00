/** Assessment on the graph only: failure evaluation, single points of failure, findings and the resilience score. */
package dev.chokepoint.assess;
