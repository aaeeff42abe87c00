package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextReportTest {
    @Test
    void countsOfOneAreSingular() {
        assertThat(TextReport.sites(1)).isEqualTo("1 site");
        assertThat(TextReport.sites(0)).isEqualTo("0 sites");
        assertThat(TextReport.count(1, "more site")).isEqualTo("1 more site");
        assertThat(TextReport.count(12, "more site")).isEqualTo("12 more sites");
    }
}
