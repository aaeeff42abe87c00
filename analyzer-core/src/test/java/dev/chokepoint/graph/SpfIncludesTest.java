package dev.chokepoint.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPF domains a site's sending service is drawn from (RFC 7208), read by {@link GraphBuilder#spfIncludes}. */
class SpfIncludesTest {
    @Test
    void includeAndRedirectDomainsWithOrWithoutAQualifier() {
        List<String> txt = List.of(
                "V=SPF1 +include:A.example. -include:b.example ?include:c.example ~include:d.example redirect=e.example");

        assertThat(GraphBuilder.spfIncludes(txt))
                .containsExactly("a.example", "b.example", "c.example", "d.example", "e.example");
    }

    @Test
    void onlyTheFirstSpfRecordCountsAndEachDomainOnce() {
        List<String> txt = List.of(
                "google-site-verification=abc",
                "v=spf10 include:not-spf.example",
                "v=spf1 include:a.example include:A.example ~all",
                "v=spf1 include:second.example -all");

        assertThat(GraphBuilder.spfIncludes(txt)).containsExactly("a.example");
    }

    @Test
    void macrosEmptyDomainsAndOtherMechanismsNameNothing() {
        List<String> txt = List.of("v=spf1 include:%{d}._spf.example include: ip4:192.0.2.0/24 a mx -all");

        assertThat(GraphBuilder.spfIncludes(txt)).isEmpty();
        assertThat(GraphBuilder.spfIncludes(List.of("no spf here"))).isEmpty();
    }
}
