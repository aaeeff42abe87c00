package dev.chokepoint.assess;

import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;

/**
 * Derives the survival formula of each service a site needs from its graph, with the semantics of
 * {@link FailureModel}: an operator or network is a component, a required edge is a conjunction, alternatives are a
 * disjunction, a failed host lookup never works. The result is minimal (no alternative contains another) and bounded
 * by {@link Survival#MAX_ALTERNATIVES}.
 */
public final class SurvivalFormula {
    private final DependencyGraph dependencies;
    private final Graph<Node, Dependency> graph;
    private final Map<Node, Formula> memo = new HashMap<>();
    private final Set<Node> visiting = new HashSet<>();

    private record Formula(List<Set<String>> alternatives, boolean truncated) {
        static final Formula ALWAYS = new Formula(List.of(Set.of()), false);
        static final Formula NEVER = new Formula(List.of(), false);
    }

    private SurvivalFormula(DependencyGraph graph) {
        this.dependencies = graph;
        this.graph = graph.graph();
    }

    /** The survival formula of every service {@code site} needs, in graph order. */
    public static List<Survival> of(DependencyGraph graph, Node.Site site) {
        SurvivalFormula formula = new SurvivalFormula(graph);
        List<Survival> out = new ArrayList<>();
        for (Dependency edge : graph.graph().outgoingEdgesOf(site)) {
            if (graph.graph().getEdgeTarget(edge) instanceof Node.Need need) {
                Formula f = formula.of(need);
                out.add(new Survival(
                        need.service().id(),
                        edge.strength() == Dependency.Strength.HARD,
                        f.alternatives(),
                        f.truncated()));
            }
        }
        return out;
    }

    private Formula of(Node node) {
        Formula known = memo.get(node);
        if (known != null) {
            return known;
        }
        if (!visiting.add(node)) {
            return Formula.ALWAYS; // a cycle through glue: judged by the other paths, as FailureModel does
        }
        Formula result = evaluate(node);
        visiting.remove(node);
        memo.put(node, result);
        return result;
    }

    private Formula evaluate(Node node) {
        switch (node) {
            case Node.Operator operator -> {
                return new Formula(List.of(Set.of(operator.provider().id())), false);
            }
            case Node.Network network -> {
                return new Formula(List.of(Set.of("AS" + network.asn())), false);
            }
            case Node.Host host -> {
                if (!dependencies.state(host).reachability().usable()) {
                    return Formula.NEVER;
                }
            }
            default -> {}
        }
        Formula result = Formula.ALWAYS;
        Formula anyOf = null;
        int hard = 0;
        for (Dependency edge : graph.outgoingEdgesOf(node)) {
            if (edge.strength() == Dependency.Strength.SOFT) {
                continue;
            }
            hard++;
            Formula child = of(graph.getEdgeTarget(edge));
            if (edge.requirement() == Dependency.Requirement.ALL) {
                result = and(result, child);
            } else {
                anyOf = anyOf == null ? child : or(anyOf, child);
            }
        }
        if (node instanceof Node.Need && hard == 0 && graph.outDegreeOf(node) == 0) {
            return Formula.NEVER;
        }
        return anyOf == null ? result : and(result, anyOf);
    }

    private static Formula and(Formula a, Formula b) {
        // Shortcuts for what most of a graph is (a required edge to one operator): the product with "always" is the
        // other formula, with "never" nothing. Formulas are already minimal, so the result is what minimal() returns.
        if (a.alternatives().isEmpty() || b.alternatives().isEmpty()) {
            return new Formula(List.of(), a.truncated() || b.truncated());
        }
        if (isAlways(a) || isAlways(b) || a.alternatives().equals(b.alternatives())) {
            // A formula and'ed with itself is itself: each union of two of its alternatives contains both.
            Formula other = isAlways(a) ? b : a;
            return a.truncated() || b.truncated() ? new Formula(other.alternatives(), true) : other;
        }
        List<Set<String>> product = new ArrayList<>();
        for (Set<String> x : a.alternatives()) {
            for (Set<String> y : b.alternatives()) {
                Set<String> both = new LinkedHashSet<>(x);
                both.addAll(y);
                product.add(both);
            }
        }
        return minimal(product, a.truncated() || b.truncated());
    }

    private static boolean isAlways(Formula f) {
        return f.alternatives().size() == 1 && f.alternatives().getFirst().isEmpty();
    }

    private static Formula or(Formula a, Formula b) {
        if (a.alternatives().isEmpty()
                || b.alternatives().isEmpty()
                || a.alternatives().equals(b.alternatives())) {
            // The usual case of a service's alternatives: nameservers of one provider, each with the same formula.
            Formula other = a.alternatives().isEmpty() ? b : a;
            return a.truncated() || b.truncated() ? new Formula(other.alternatives(), true) : other;
        }
        List<Set<String>> union = new ArrayList<>(a.alternatives());
        union.addAll(b.alternatives());
        return minimal(union, a.truncated() || b.truncated());
    }

    /**
     * Removes duplicate and absorbed alternatives (a superset of another adds nothing), then bounds the count. The
     * order is by size, then by the sorted members: each alternative's sort key is built once, not per comparison.
     */
    private static Formula minimal(List<Set<String>> alternatives, boolean truncated) {
        if (alternatives.size() <= 1) {
            return new Formula(alternatives, truncated);
        }
        List<Map.Entry<String, Set<String>>> sorted = new ArrayList<>(alternatives.size());
        for (Set<String> alternative : alternatives) {
            sorted.add(Map.entry(String.join(",", new TreeSet<>(alternative)), alternative));
        }
        sorted.sort(Comparator.comparingInt(
                        (Map.Entry<String, Set<String>> e) -> e.getValue().size())
                .thenComparing(Map.Entry::getKey));
        List<Set<String>> kept = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : sorted) {
            Set<String> candidate = entry.getValue();
            if (kept.stream().noneMatch(candidate::containsAll)) {
                kept.add(candidate);
            }
        }
        if (kept.size() > Survival.MAX_ALTERNATIVES) {
            return new Formula(List.copyOf(kept.subList(0, Survival.MAX_ALTERNATIVES)), true);
        }
        return new Formula(kept, truncated);
    }
}
