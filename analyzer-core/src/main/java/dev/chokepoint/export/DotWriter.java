package dev.chokepoint.export;

import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Node;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jgrapht.nio.Attribute;

/**
 * Writes an {@link ExportGraph} as Graphviz DOT with a readable default style: left to right, shapes and colours by
 * vertex kind, one {@code cluster_<organisation>} per provider organisation holding its provider vertices and the
 * hosts and addresses it alone operates, critical edges bold and red, soft edges dashed, {@code any} alternatives with
 * a hollow circle for an arrowhead and {@code all} requirements with a filled arrow, indirect edges grey.
 *
 * <p>Written by hand rather than through jgrapht-io's {@code DOTExporter}: in 1.5.2 that exporter has no way to emit
 * subgraphs, so it cannot group a provider's vertices into a cluster, and its identifier check ({@code DOTUtils}) is
 * package-private. Every identifier and value is therefore written as a quoted string, which DOT accepts for anything
 * once {@code "} and {@code \} are escaped; jgrapht-io's {@code DOTImporter} reads the output back.
 */
final class DotWriter {
    private static final String FONT = "Helvetica";

    private DotWriter() {}

    /** Writes {@code graph} to {@code out}. */
    static void write(ExportGraph graph, Writer out) throws IOException {
        out.write("digraph " + quote(graph.run().id()) + " {\n");
        out.write("  graph [rankdir=\"LR\", fontname=\"" + FONT + "\", fontsize=\"12\", nodesep=\"0.2\","
                + " ranksep=\"0.6\"];\n");
        out.write("  node [fontname=\"" + FONT + "\", fontsize=\"10\", style=\"filled\"];\n");
        out.write("  edge [fontname=\"" + FONT + "\", fontsize=\"8\", color=\"#525252\"];\n");

        Map<String, List<Node>> clusters = new TreeMap<>();
        Map<String, String> names = new TreeMap<>();
        List<Node> loose = new ArrayList<>();
        for (Node vertex : graph.vertices()) {
            String organisation = graph.value(vertex, "provider");
            boolean clustered = !organisation.isEmpty()
                    && (vertex instanceof Node.Operator
                            || vertex instanceof Node.Host
                            || vertex instanceof Node.Address);
            if (clustered) {
                clusters.computeIfAbsent(organisation, k -> new ArrayList<>()).add(vertex);
                if (vertex instanceof Node.Operator operator) {
                    names.putIfAbsent(organisation, operator.provider().name());
                }
            } else {
                loose.add(vertex);
            }
        }
        for (Map.Entry<String, List<Node>> cluster : clusters.entrySet()) {
            String organisation = cluster.getKey();
            out.write("  subgraph " + quote("cluster_" + organisation) + " {\n");
            out.write("    graph [label=" + quote(names.getOrDefault(organisation, organisation))
                    + ", style=\"rounded,filled\", fillcolor=\"#fff5eb\", color=\"#fdae6b\"];\n");
            for (Node vertex : cluster.getValue()) {
                out.write("    " + vertex(graph, vertex) + "\n");
            }
            out.write("  }\n");
        }
        for (Node vertex : loose) {
            out.write("  " + vertex(graph, vertex) + "\n");
        }
        for (Dependency edge : graph.edges()) {
            out.write("  " + edge(graph, edge) + "\n");
        }
        out.write("}\n");
    }

    private static String vertex(ExportGraph graph, Node vertex) {
        Map<String, String> a = new LinkedHashMap<>();
        data(graph.attributes(vertex), a);
        switch (vertex) {
            case Node.Site site -> {
                a.put("shape", "doubleoctagon");
                a.put("fillcolor", "#c6dbef");
                a.put("color", severityColour(graph.value(vertex, "severity")));
                a.put("penwidth", "2");
            }
            case Node.Need need -> {
                a.put("shape", "ellipse");
                a.put("fillcolor", "#f0f0f0");
            }
            case Node.Host host -> {
                a.put("shape", "box");
                a.put("fillcolor", "#ffffff");
            }
            case Node.Address address -> {
                a.put("shape", "box");
                a.put("style", "rounded,filled");
                a.put("fillcolor", "#f7f7f7");
                a.put("fontsize", "9");
            }
            case Node.Network network -> {
                a.put("shape", "hexagon");
                a.put("fillcolor", "#e5f5e0");
            }
            case Node.Operator operator -> {
                a.put("shape", "component");
                boolean spof = "true".equals(graph.value(vertex, "spof"));
                a.put("fillcolor", spof ? "#fc9272" : "#fdd0a2");
                if (spof) {
                    a.put("color", "#cb181d");
                    a.put("penwidth", "2");
                }
            }
        }
        return quote(vertex.id()) + " " + list(a) + ";";
    }

    private static String edge(ExportGraph graph, Dependency edge) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("id", graph.id(edge));
        data(graph.attributes(edge), a);
        boolean critical = "true".equals(graph.value(edge, "critical"));
        List<String> style = new ArrayList<>();
        if (edge.strength() == Dependency.Strength.SOFT) {
            style.add("dashed");
        }
        if (critical) {
            style.add("bold");
            a.put("color", "#cb181d");
            a.put("penwidth", "2.5");
        } else if ("indirect".equals(graph.value(edge, "scope"))) {
            a.put("color", "#a3a3a3");
        }
        if (!style.isEmpty()) {
            a.put("style", String.join(",", style));
        }
        a.put("arrowhead", edge.requirement() == Dependency.Requirement.ANY ? "odot" : "normal");
        return quote(graph.graph().getEdgeSource(edge).id()) + " -> "
                + quote(graph.graph().getEdgeTarget(edge).id()) + " " + list(a) + ";";
    }

    private static void data(Map<String, Attribute> attributes, Map<String, String> out) {
        attributes.forEach((k, v) -> out.put(k, v.getValue()));
    }

    private static String severityColour(String severity) {
        return switch (severity) {
            case "critical" -> "#a50f15";
            case "high" -> "#de2d26";
            case "medium" -> "#fb6a4a";
            case "low" -> "#fcae91";
            default -> "#525252";
        };
    }

    private static String list(Map<String, String> attributes) {
        List<String> parts = new ArrayList<>();
        attributes.forEach((k, v) -> parts.add(k + "=" + quote(v)));
        return "[" + String.join(", ", parts) + "]";
    }

    /** A DOT quoted string: any text is a valid identifier once backslashes, quotes and line ends are escaped. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> {}
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
