package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameSetTest {
    @Test
    void addSaysWhetherTheNameIsNewAsAHashSetDoes() {
        NameSet names = new NameSet();

        assertThat(names.add("example.com")).isTrue();
        assertThat(names.add("example.net")).isTrue();
        assertThat(names.add("example.com")).isFalse();
        assertThat(names.add("www.example.com")).isTrue();
        assertThat(names.size()).isEqualTo(3);
    }

    @Test
    void agreesWithAHashSetOverManyNamesAcrossPagesAndTableGrowth() {
        NameSet names = new NameSet();
        Set<String> expected = new HashSet<>();
        Random random = new Random(7);
        // About 300,000 adds, a fifth of them repeats, names of 1 to 60 characters: several pages of bytes, a table
        // grown many times, and names whose bytes straddle no page (each page ends where the next name would not fit).
        for (int i = 0; i < 300_000; i++) {
            String name = random.nextInt(5) == 0 && i > 0
                    ? "s" + random.nextInt(i) + ".example"
                    : "s" + i + ".example" + "x".repeat(random.nextInt(50));
            assertThat(names.add(name)).as(name).isEqualTo(expected.add(name));
        }
        assertThat(names.size()).isEqualTo(expected.size());
        for (String name : expected) {
            assertThat(names.contains(name)).as(name).isTrue();
            assertThat(names.add(name)).as(name).isFalse();
        }
        for (int i = 0; i < 10_000; i++) {
            String name = "t" + random.nextInt() + ".example";
            assertThat(names.contains(name)).as(name).isEqualTo(expected.contains(name));
        }
    }

    @Test
    void namesWithTheSameHashAreStillToldApart() {
        NameSet names = new NameSet();
        // "Aa" and "BB" hash alike (31 * 'A' + 'a' == 31 * 'B' + 'B'), and so do names built from them.
        assertThat(names.add("aa.Aa.example")).isTrue();
        assertThat(names.add("aa.BB.example")).isTrue();
        assertThat(names.add("aa.Aa.example")).isFalse();
        assertThat(names.add("aa.BB.example")).isFalse();
        assertThat(names.size()).isEqualTo(2);
        assertThat(names.contains("aa.BB.example")).isTrue();
        assertThat(names.contains("Aa.aa.example")).isFalse();
        assertThat(names.contains("BB.aa.example")).isFalse();
    }

    @Test
    void aNameLongerThanADomainNameCanBeIsRefused() {
        assertThatThrownBy(() -> new NameSet().add("a".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255 bytes");
        assertThat(new NameSet().add("a".repeat(255))).isTrue();
        assertThat(new NameSet().contains("a".repeat(256))).isFalse();
    }
}
