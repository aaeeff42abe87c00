package dev.chokepoint.assess;

import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.Node;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Decides whether a vertex still works when some providers or networks have failed.
 *
 * <p>A provider vertex fails when its id ({@code cloudflare:cdn}), its organisation ({@code cloudflare}) is in the
 * failed set; a network when {@code AS13335} is. A host fails when its lookup failed. Any other vertex works when all
 * its required (hard) dependencies work and at least one of its alternatives does; a service with nothing to serve it
 * does not work. Soft dependencies never take a vertex down.
 */
public final class FailureModel {
    private final DependencyGraph dependencies;
    private final Graph<Node, Dependency> graph;

    /** Creates a model over {@code graph}. */
    public FailureModel(DependencyGraph graph) {
        this.dependencies = graph;
        this.graph = graph.graph();
    }

    /** Whether {@code node} works when everything in {@code failed} has failed. */
    public boolean works(Node node, Set<String> failed) {
        return works(node, failed, new HashMap<>(), new HashSet<>());
    }

    private boolean works(Node node, Set<String> failed, Map<Node, Boolean> memo, Set<Node> visiting) {
        Boolean known = memo.get(node);
        if (known != null) {
            return known;
        }
        if (!visiting.add(node)) {
            // A cycle (a zone served by hosts inside it, through glue): judge the other paths.
            return true;
        }
        boolean result = evaluate(node, failed, memo, visiting);
        visiting.remove(node);
        memo.put(node, result);
        return result;
    }

    private boolean evaluate(Node node, Set<String> failed, Map<Node, Boolean> memo, Set<Node> visiting) {
        switch (node) {
            case Node.Operator operator -> {
                return !failed.contains(operator.provider().id())
                        && !failed.contains(operator.provider().organisationId());
            }
            case Node.Network network -> {
                return !failed.contains("AS" + network.asn());
            }
            case Node.Host host -> {
                if (!dependencies.state(host).reachability().usable()) {
                    return false;
                }
            }
            default -> {}
        }
        boolean hasAlternatives = false;
        boolean anyAlternativeWorks = false;
        int hardEdges = 0;
        for (Dependency edge : graph.outgoingEdgesOf(node)) {
            if (edge.strength() == Dependency.Strength.SOFT) {
                continue;
            }
            hardEdges++;
            Node target = graph.getEdgeTarget(edge);
            if (edge.requirement() == Dependency.Requirement.ALL) {
                if (!works(target, failed, memo, visiting)) {
                    return false;
                }
            } else {
                hasAlternatives = true;
                if (!anyAlternativeWorks && works(target, failed, memo, visiting)) {
                    anyAlternativeWorks = true;
                }
            }
        }
        if (node instanceof Node.Need && hardEdges == 0 && graph.outDegreeOf(node) == 0) {
            return false;
        }
        return !hasAlternatives || anyAlternativeWorks;
    }
}
