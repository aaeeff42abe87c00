package dev.chokepoint.export;

import dev.chokepoint.assess.Concentration;
import dev.chokepoint.assess.ConcentrationReport;
import dev.chokepoint.assess.ProviderImpact;
import dev.chokepoint.provider.Service;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.LayeredBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.ItemKey;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws the providers with the most impact as a horizontal bar chart, in SVG or PNG: for each provider a wide light
 * bar for the sites it takes down on its own through any path ({@link ProviderImpact#allImpact}) and over it a
 * narrow dark bar for those where it is a direct single point of failure ({@link ProviderImpact#directImpact}), so
 * that the light part shows the amplification by indirect dependencies.
 *
 * <p>Drawn with JFreeChart on Java 2D without a display: loading this class sets {@code java.awt.headless=true}
 * unless the property is already set. The output is the same bytes for the same input on the same machine: number
 * formats use {@link Locale#ROOT} and the SVG definitions get a fixed id prefix instead of JFreeSVG's time-based
 * one. Text is measured with the fonts installed, so another machine may lay it out slightly differently. Write the
 * SVG with UTF-8; provider names are not restricted to ASCII.
 */
public final class ImpactChart {
    static {
        // AWT decides headless-ness once, on first use: decide it before JFreeChart touches AWT, and never try to
        // reach a display a server does not have. An explicit setting is left alone.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The name of the series of sites a provider takes down through any path. */
    public static final String ALL_SERIES = "Sites affected, incl. through other providers";

    /** The name of the series of sites where a provider is a direct single point of failure. */
    public static final String DIRECT_SERIES = "Direct single point of failure";

    /** The message of a chart without bars. */
    public static final String NO_IMPACT = "No provider affects any site on its own.";

    /** The width of the chart in pixels. */
    public static final int WIDTH = 960;

    private static final int HEIGHT_PER_BAR = 30;
    private static final int HEIGHT_AROUND_BARS = 190;
    private static final Color ALL_COLOR = new Color(0x9e, 0xca, 0xe1);
    private static final Color DIRECT_COLOR = new Color(0x08, 0x51, 0x9c);
    private static final Color TEXT_COLOR = new Color(0x33, 0x33, 0x33);
    private static final Color GRID_COLOR = new Color(0xdd, 0xdd, 0xdd);
    private static final String FONT = Font.SANS_SERIF;
    private static final int NAME_SIZE = 13;
    private static final int LABEL_SIZE = 12;
    private static final int LABEL_OFFSET = 6;
    private static final int PADDING = 12;
    private static final int PLOT_INSET_LEFT = 8;
    private static final int PLOT_INSET_RIGHT = 16;
    private static final double NAME_WIDTH_RATIO = 0.3;

    /** JFreeSVG prefixes the ids of clip paths with the clock by default; a fixed prefix keeps renders identical. */
    private static final String DEFS_PREFIX = "chokepoint-impact-";

    private ImpactChart() {}

    /** Writes the chart of the {@code topN} providers of {@code impacts} with the most impact as SVG. */
    public static void writeSvg(List<ProviderImpact> impacts, String title, int topN, Writer out) throws IOException {
        writeSvg(impacts, title, defaultSubtitle(impacts, topN), topN, out);
    }

    /** Writes the chart as SVG, with {@code subtitle} under the title. */
    public static void writeSvg(List<ProviderImpact> impacts, String title, String subtitle, int topN, Writer out)
            throws IOException {
        List<ProviderImpact> top = top(impacts, topN);
        JFreeChart chart = chart(top, title, subtitle);
        int height = height(top.size());
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
        g2.setDefsKeyPrefix(DEFS_PREFIX);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, height));
        // No DOCTYPE: JFreeSVG's names the SVG 1.0 DTD by URL, which XML parsers would then try to fetch.
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write(g2.getSVGElement());
        out.write("\n");
        out.flush();
    }

    /** Writes the chart of one service of {@code report} (or {@link Concentration#ALL_SERVICES}) as SVG. */
    public static void writeSvg(ConcentrationReport report, String service, int topN, Writer out) throws IOException {
        List<ProviderImpact> impacts = report.providers(service);
        writeSvg(impacts, title(service), reportSubtitle(report, service, impacts, topN), topN, out);
    }

    /** Writes the chart as PNG, with {@code subtitle} under the title. */
    public static void writePng(List<ProviderImpact> impacts, String title, String subtitle, int topN, OutputStream out)
            throws IOException {
        List<ProviderImpact> top = top(impacts, topN);
        ChartUtils.writeChartAsPNG(out, chart(top, title, subtitle), WIDTH, height(top.size()));
        out.flush();
    }

    /** Writes the chart of one service of {@code report} (or {@link Concentration#ALL_SERVICES}) as PNG. */
    public static void writePng(ConcentrationReport report, String service, int topN, OutputStream out)
            throws IOException {
        List<ProviderImpact> impacts = report.providers(service);
        writePng(impacts, title(service), reportSubtitle(report, service, impacts, topN), topN, out);
    }

    /**
     * The providers drawn: those that take down at least one site, in {@link ProviderImpact#BY_IMPACT} order, at most
     * {@code topN}.
     */
    static List<ProviderImpact> top(List<ProviderImpact> impacts, int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1: " + topN);
        }
        return impacts.stream()
                .filter(p -> p.allImpact() > 0 || p.directImpact() > 0)
                .sorted(ProviderImpact.BY_IMPACT)
                .limit(topN)
                .toList();
    }

    private static int height(int bars) {
        return HEIGHT_AROUND_BARS + HEIGHT_PER_BAR * Math.max(bars, 3);
    }

    private static String title(String service) {
        return "Provider impact: " + label(service);
    }

    private static String label(String service) {
        if (Concentration.ALL_SERVICES.equals(service)) {
            return "all services";
        }
        return Service.fromId(service).map(Service::label).orElse(service);
    }

    private static String defaultSubtitle(List<ProviderImpact> impacts, int topN) {
        long withImpact = impacts.stream().filter(p -> p.allImpact() > 0).count();
        if (withImpact == 0) {
            return "No provider with impact";
        }
        return "Top " + Math.min(topN, withImpact) + " of " + withImpact + " providers with impact";
    }

    private static String reportSubtitle(
            ConcentrationReport report, String service, List<ProviderImpact> impacts, int topN) {
        // As Concentration counts them: soft services are lost, the others take the site down.
        String what = service.equals("ca") || service.equals("sending")
                ? "Sites that lose " + label(service) + " when the provider alone fails"
                : "Sites that go down when the provider alone fails";
        return what + ", of " + String.format(Locale.ROOT, "%,d", report.sites()) + " sites audited. "
                + defaultSubtitle(impacts, topN) + ".";
    }

    private static JFreeChart chart(List<ProviderImpact> top, String title, String subtitle) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subtitle, "subtitle");
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        Set<String> names = new HashSet<>();
        for (ProviderImpact impact : top) {
            // Categories are keyed by label: two providers with one display name would share a bar.
            String label = names.add(impact.name()) ? impact.name() : impact.name() + " (" + impact.id() + ")";
            dataset.addValue(impact.allImpact(), ALL_SERIES, label);
            dataset.addValue(impact.directImpact(), DIRECT_SERIES, label);
        }

        CategoryAxis providers = new CategoryAxis(null);
        providers.setTickLabelFont(new Font(FONT, Font.PLAIN, NAME_SIZE));
        providers.setTickLabelPaint(TEXT_COLOR);
        providers.setMaximumCategoryLabelWidthRatio((float) NAME_WIDTH_RATIO);
        providers.setCategoryMargin(0.15);
        providers.setLowerMargin(0.02);
        providers.setUpperMargin(0.02);
        providers.setAxisLineVisible(false);
        providers.setTickMarksVisible(false);

        NumberAxis sites = new NumberAxis("Sites");
        sites.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        sites.setLabelFont(new Font(FONT, Font.PLAIN, 12));
        sites.setLabelPaint(TEXT_COLOR);
        sites.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        sites.setTickLabelPaint(TEXT_COLOR);
        sites.setUpperMargin(labelRoom(top));
        sites.setAxisLineVisible(false);

        Renderer renderer = new Renderer();
        renderer.setSeriesBarWidth(0, 1.0);
        // The layered renderer draws the first series at 60% of the bar width: the direct bar at half of that.
        renderer.setSeriesBarWidth(1, 0.3);
        renderer.setSeriesPaint(0, ALL_COLOR);
        renderer.setSeriesPaint(1, DIRECT_COLOR);
        renderer.setDrawBarOutline(false);
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelsVisible(false);
        renderer.setSeriesItemLabelsVisible(0, true);
        renderer.setSeriesItemLabelGenerator(0, new BarLabels(top));
        renderer.setSeriesItemLabelFont(0, new Font(FONT, Font.PLAIN, LABEL_SIZE));
        renderer.setSeriesItemLabelPaint(0, TEXT_COLOR);
        renderer.setSeriesPositiveItemLabelPosition(
                0, new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        renderer.setItemLabelAnchorOffset(LABEL_OFFSET);

        CategoryPlot plot = new CategoryPlot(dataset, providers, sites, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID_COLOR);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setInsets(new RectangleInsets(8, PLOT_INSET_LEFT, 8, PLOT_INSET_RIGHT));
        plot.setNoDataMessage(NO_IMPACT);
        plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 14));
        plot.setNoDataMessagePaint(TEXT_COLOR);

        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(PADDING, PADDING, PADDING, PADDING));
        chart.getTitle().setPaint(TEXT_COLOR);
        chart.getTitle().setHorizontalAlignment(HorizontalAlignment.LEFT);
        TextTitle sub = new TextTitle(subtitle, new Font(FONT, Font.PLAIN, 12));
        sub.setPaint(new Color(0x66, 0x66, 0x66));
        sub.setHorizontalAlignment(HorizontalAlignment.LEFT);
        sub.setPadding(new RectangleInsets(2, 0, 10, 0));
        // The legend is subtitle 0; the subtitle goes right under the title, before it.
        chart.addSubtitle(0, sub);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
        legend.setFrame(BlockBorder.NONE);
        legend.setItemFont(new Font(FONT, Font.PLAIN, 12));
        legend.setItemPaint(TEXT_COLOR);
        legend.setBackgroundPaint(Color.WHITE);
        // With no bar, an axis from 0 to 1 and a legend of nothing would only distract from the message.
        legend.setVisible(!top.isEmpty());
        sites.setVisible(!top.isEmpty());
        plot.setRangeGridlinesVisible(!top.isEmpty());
        // Group each bar in the SVG with its series and provider (jfreesvg:ref), for scripts and tests.
        chart.setElementHinting(true);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    /**
     * The range axis's upper margin that leaves room right of every bar for its label: the label widths measured in
     * the label font, against a data area estimated from the chart width less the padding and the provider names.
     */
    private static double labelRoom(List<ProviderImpact> top) {
        int max = top.stream().mapToInt(ProviderImpact::allImpact).max().orElse(0);
        if (max == 0) {
            return 0.05;
        }
        FontRenderContext context = new FontRenderContext(null, true, true);
        Font labelFont = new Font(FONT, Font.PLAIN, LABEL_SIZE);
        Font nameFont = new Font(FONT, Font.PLAIN, NAME_SIZE);
        double names = top.stream()
                .mapToDouble(p -> nameFont.getStringBounds(p.name(), context).getWidth())
                .max()
                .orElse(0);
        double plotWidth = WIDTH - 2 * PADDING - PLOT_INSET_LEFT - PLOT_INSET_RIGHT;
        double dataWidth = plotWidth - Math.min(names + 8, NAME_WIDTH_RATIO * plotWidth);
        // A bar of v on an axis up to max × (1 + margin) ends at v / max / (1 + margin) of the data width; its label
        // fits when that leaves label / dataWidth: 1 + margin ≥ (v / max) / (1 − label / dataWidth).
        double needed = 1;
        for (ProviderImpact impact : top) {
            double label = labelFont.getStringBounds(barLabel(impact), context).getWidth() + LABEL_OFFSET + 12;
            double free = Math.max(0.25, 1 - label / dataWidth);
            needed = Math.max(needed, (double) impact.allImpact() / max / free);
        }
        return Math.max(0.05, needed - 1);
    }

    /** Labels each provider's bar, the columns being the providers in order. */
    private record BarLabels(List<ProviderImpact> providers) implements CategoryItemLabelGenerator {
        @Override
        public String generateRowLabel(CategoryDataset dataset, int row) {
            return dataset.getRowKey(row).toString();
        }

        @Override
        public String generateColumnLabel(CategoryDataset dataset, int column) {
            return dataset.getColumnKey(column).toString();
        }

        @Override
        public String generateLabel(CategoryDataset dataset, int row, int column) {
            return barLabel(providers.get(column));
        }
    }

    /** The label right of a provider's bar: its impact and how much of it is indirect. */
    private static String barLabel(ProviderImpact impact) {
        String all = String.format(Locale.ROOT, "%,d", impact.allImpact());
        if (impact.directImpact() == 0) {
            return all + " (all indirect)";
        }
        if (impact.directImpact() == impact.allImpact()) {
            return all + " (all direct)";
        }
        return all
                + String.format(
                        Locale.ROOT,
                        " (%,d direct, \u00d7%.2f)",
                        impact.directImpact(),
                        impact.amplification().orElseThrow());
    }

    /**
     * The layered renderer with its element groups closed: in JFreeChart 1.5.6 the horizontal bars open a group
     * ({@code KEY_BEGIN_ELEMENT}) they never end, which nests every later element into it and leaves the SVG's
     * {@code <g>} elements unbalanced.
     */
    private static final class Renderer extends LayeredBarRenderer {
        private static final long serialVersionUID = 1L;
        private boolean groupOpen;

        @Override
        protected void beginElementGroup(Graphics2D g2, ItemKey key) {
            super.beginElementGroup(g2, key);
            groupOpen = true;
        }

        @Override
        protected void drawHorizontalItem(
                Graphics2D g2,
                CategoryItemRendererState state,
                Rectangle2D dataArea,
                CategoryPlot plot,
                CategoryAxis domainAxis,
                ValueAxis rangeAxis,
                CategoryDataset dataset,
                int row,
                int column) {
            groupOpen = false;
            super.drawHorizontalItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column);
            // Only close what this item opened: the super method returns early for invisible bars.
            if (groupOpen) {
                endElementGroup(g2);
                groupOpen = false;
            }
        }
    }
}
