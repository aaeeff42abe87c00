package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chokepoint.assess.Concentration;
import dev.chokepoint.assess.ConcentrationHalfDown;
import dev.chokepoint.assess.ConcentrationReport;
import dev.chokepoint.assess.ProviderImpact;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ImpactChartTest {
    private static final String JFREESVG_NS = "http://www.jfree.org/jfreesvg/svg";
    private static final Pattern REF = Pattern.compile("\\{\"rowKey\": \"(.*)\", \"columnKey\": \"(.*)\"}");

    private static ProviderImpact impact(String id, String name, int direct, int all) {
        return new ProviderImpact(
                Concentration.ALL_SERVICES, id, name, all + 500, 0, 0, direct + 300, all + 500, direct, all);
    }

    /** Thirteen providers of a 100,000-site batch, unsorted; twelve take sites down, Let's Encrypt none. */
    static List<ProviderImpact> sample() {
        return List.of(
                impact("amazon:hosting", "Amazon hosting", 14_000, 14_200),
                impact("cloudflare:dns", "Cloudflare DNS", 18_500, 19_800),
                impact("letsencrypt:ca", "Let's Encrypt certificate authority", 0, 0),
                impact("cloudflare:cdn", "Cloudflare CDN", 17_000, 17_000),
                impact("google:mail", "Google mail", 9_000, 9_000),
                impact("amazon:dns", "Amazon DNS", 6_100, 6_900),
                impact("ultradns:dns", "UltraDNS DNS", 900, 5_200),
                impact("microsoft:mail", "Microsoft mail", 5_150, 5_150),
                impact("akamai:cdn", "Akamai CDN", 4_200, 4_300),
                impact("fastly:cdn", "Fastly CDN", 3_100, 3_300),
                impact("google:hosting", "Google Cloud hosting", 3_000, 3_000),
                impact("ovh:hosting", "OVHcloud hosting", 2_100, 2_100),
                impact("bunny:cdn", "Bunny CDN", 0, 1_800));
    }

    static ConcentrationReport sampleReport() {
        return new ConcentrationReport(
                100_000, Map.of(), sample(), Map.of(), new ConcentrationHalfDown(0, 0, 0, List.of(), false), List.of());
    }

    private static String svg(List<ProviderImpact> impacts, int topN) throws IOException {
        StringWriter out = new StringWriter();
        ImpactChart.writeSvg(impacts, "Provider impact", topN, out);
        return out.toString();
    }

    private static String reportSvg() throws IOException {
        StringWriter out = new StringWriter();
        ImpactChart.writeSvg(sampleReport(), Concentration.ALL_SERVICES, 10, out);
        return out.toString();
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // No DTD may be fetched (the chart has none) and none is allowed.
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** A drawn bar; all zero for a bar of length 0, which JFreeSVG leaves out of its (empty) group. */
    private record Bar(double x, double y, double width, double height) {
        static Bar of(Element rect) {
            if (rect == null) {
                return new Bar(0, 0, 0, 0);
            }
            return new Bar(number(rect, "x"), number(rect, "y"), number(rect, "width"), number(rect, "height"));
        }

        double bottom() {
            return y + height;
        }
    }

    /** The bar of each provider in one series, by provider label, in drawing order. */
    private static Map<String, Bar> bars(Document svg, String series) {
        Map<String, Bar> bars = new LinkedHashMap<>();
        NodeList groups = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            Matcher ref = REF.matcher(group.getAttributeNS(JFREESVG_NS, "ref"));
            if (ref.matches() && ref.group(1).equals(series)) {
                Bar previous = bars.put(ref.group(2), Bar.of((Element)
                        group.getElementsByTagNameNS("*", "rect").item(0)));
                assertThat(previous).as("second bar for %s", ref.group(2)).isNull();
            }
        }
        return bars;
    }

    private static List<String> texts(Document svg) {
        NodeList texts = svg.getElementsByTagNameNS("*", "text");
        List<String> all = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            all.add(texts.item(i).getTextContent());
        }
        return all;
    }

    static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }

    @Test
    void svgHasOneBarPerProviderUpToTopNInImpactOrder() throws Exception {
        Document svg = parse(svg(sample(), 10));

        List<String> expected = List.of(
                "Cloudflare DNS",
                "Cloudflare CDN",
                "Amazon hosting",
                "Google mail",
                "Amazon DNS",
                "UltraDNS DNS",
                "Microsoft mail",
                "Akamai CDN",
                "Fastly CDN",
                "Google Cloud hosting");
        Map<String, Bar> all = bars(svg, ImpactChart.ALL_SERIES);
        Map<String, Bar> direct = bars(svg, ImpactChart.DIRECT_SERIES);
        assertThat(all.keySet()).containsExactlyElementsOf(expected);
        assertThat(direct.keySet()).containsExactlyElementsOf(expected);
        // Sorted top to bottom: each bar lower on the page than the one before.
        assertThat(all.values().stream().map(Bar::y).toList()).isSorted().doesNotHaveDuplicates();
        // The provider names label the bars; the 11th and 12th, and the provider without impact, are left out.
        assertThat(texts(svg))
                .containsAll(expected)
                .doesNotContain("OVHcloud hosting", "Bunny CDN", "Let's Encrypt certificate authority");
    }

    @Test
    void barLengthsAreProportionalToImpactAndDirectBarsLieInsideTheirTotal() throws Exception {
        Document svg = parse(svg(sample(), 12));
        Map<String, Bar> all = bars(svg, ImpactChart.ALL_SERIES);
        Map<String, Bar> direct = bars(svg, ImpactChart.DIRECT_SERIES);

        double perSite = all.get("Cloudflare DNS").width() / 19_800;
        assertThat(all.get("Google mail").width()).isCloseTo(9_000 * perSite, within(0.5));
        assertThat(direct.get("UltraDNS DNS").width()).isCloseTo(900 * perSite, within(0.5));
        assertThat(direct.get("Bunny CDN").width()).isZero();
        assertThat(all.get("Bunny CDN").width()).isCloseTo(1_800 * perSite, within(0.5));
        // The direct bar is thinner and lies within the total's bar.
        Bar ultraAll = all.get("UltraDNS DNS");
        Bar ultraDirect = direct.get("UltraDNS DNS");
        assertThat(ultraDirect.height()).isLessThan(ultraAll.height());
        assertThat(ultraDirect.y()).isGreaterThan(ultraAll.y());
        assertThat(ultraDirect.bottom()).isLessThan(ultraAll.bottom());
        assertThat(ultraDirect.x()).isEqualTo(ultraAll.x());
        // Amplification is spelled out next to the bar.
        assertThat(texts(svg))
                .contains("5,200 (900 direct, \u00d75.78)", "1,800 (all indirect)", "17,000 (all direct)");
    }

    @Test
    void fewerProvidersThanTopNGiveOneBarEach() throws Exception {
        Document svg = parse(svg(sample().subList(0, 3), 10));

        // Let's Encrypt has no impact: two bars.
        assertThat(bars(svg, ImpactChart.ALL_SERIES).keySet()).containsExactly("Cloudflare DNS", "Amazon hosting");
    }

    @Test
    void reportChartHasLegendAndSubtitleWithTheSiteCount() throws Exception {
        List<String> texts = texts(parse(reportSvg()));

        assertThat(texts).contains(ImpactChart.ALL_SERIES, ImpactChart.DIRECT_SERIES);
        assertThat(texts)
                .anySatisfy(t -> assertThat(t).contains("100,000 sites audited").contains("Top 10 of 12 providers"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("all services"));
    }

    @Test
    void noProviderWithImpactGivesAnEmptyChartThatStillParses() throws Exception {
        Document svg = parse(svg(List.of(impact("letsencrypt:ca", "Let's Encrypt CA", 0, 0)), 10));

        assertThat(bars(svg, ImpactChart.ALL_SERIES)).isEmpty();
        assertThat(texts(svg)).contains(ImpactChart.NO_IMPACT).doesNotContain(ImpactChart.ALL_SERIES, "Sites");
    }

    @Test
    void topNMustBePositive() {
        assertThatThrownBy(() -> svg(sample(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoRendersAreByteIdentical() throws Exception {
        String first = reportSvg();
        // Another SVG in between: JFreeSVG's default ids would differ by the clock.
        new SVGGraphics2D(10, 10).getSVGElement();

        assertThat(reportSvg()).isEqualTo(first);
        assertThat(first).contains("chokepoint-impact-").doesNotContainPattern("id='_\\d+");
    }

    @Test
    void pngIsAnImageOfTheChartAndRepeatable() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ImpactChart.writePng(sampleReport(), Concentration.ALL_SERVICES, 10, first);
        ImpactChart.writePng(sampleReport(), Concentration.ALL_SERVICES, 10, second);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first.toByteArray()));
        assertThat(image.getWidth()).isEqualTo(ImpactChart.WIDTH);
        assertThat(image.getHeight()).isGreaterThan(10 * 25);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void rendersInAFreshJvmThatHasADisplayConfiguredButNoHeadlessSetting() throws Exception {
        // The child JVM is told about a display that does not exist and not told to be headless: only ImpactChart
        // setting java.awt.headless keeps AWT from trying to connect to it.
        String classPath = Stream.of(ImpactChart.class, ImpactChartTest.class, JFreeChart.class, SVGGraphics2D.class)
                .map(ImpactChartTest::location)
                .distinct()
                .collect(Collectors.joining(java.io.File.pathSeparator));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Child.class.getName());
        builder.environment().put("DISPLAY", ":97");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = builder.start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).isZero();
        // Same bytes from another JVM: nothing in the SVG depends on the clock or the process.
        assertThat(new String(output, StandardCharsets.UTF_8)).isEqualTo(reportSvg());
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renders the sample report to standard output; exits 3 if AWT did not end up headless. */
    static final class Child {
        private Child() {}

        /** Writes the sample chart; with a path argument, to that file instead (to look at it). */
        public static void main(String[] args) throws IOException {
            try (Writer out = args.length > 0
                    ? java.nio.file.Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)
                    : new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                ImpactChart.writeSvg(sampleReport(), Concentration.ALL_SERVICES, 10, out);
            }
            if (!GraphicsEnvironment.isHeadless()) {
                System.exit(3);
            }
        }
    }
}
