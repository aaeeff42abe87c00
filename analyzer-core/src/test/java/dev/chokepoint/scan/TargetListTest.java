package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetListTest {
    private static TargetList list(String text, long limit) {
        return new TargetList(new BufferedReader(new StringReader(text)), limit);
    }

    /** The names a list yields, in order. */
    private static List<String> names(TargetList list) {
        List<String> names = new ArrayList<>();
        list.forEachRemaining(target -> names.add(target.domain().ascii()));
        return names;
    }

    private static List<String> names(String text) {
        return names(list(text, 0));
    }

    @Test
    void aPlainListHasOneDomainOrUrlPerLineWithCommentsBlanksAndDuplicatesSkipped() {
        TargetList list = list(
                """
                # my sites
                example.com

                https://www.example.net/path
                EXAMPLE.com
                """,
                0);

        assertThat(names(list)).containsExactly("example.com", "www.example.net");
        assertThat(list.duplicates()).isEqualTo(1);
        assertThat(list.invalidCount()).isZero();
        assertThat(list.ranked()).isFalse();
    }

    @Test
    void linesPassedOverAreTheDataLinesThatHoldNoTarget() {
        String text =
                "\uFEFF# list\nrank,domain\n1,example.com\n\n2,not a domain\nrank,domain\n3,EXAMPLE.com\n4,example.net\n";
        long dataLines = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (TargetList.isDataLine(i + 1, lines[i])) {
                dataLines++;
            }
        }
        TargetList list = list(text, 0);

        assertThat(names(list)).containsExactly("example.com", "example.net");
        // The header, the invalid line, the header again and the duplicate: the data lines less the targets.
        assertThat(dataLines).isEqualTo(6);
        assertThat(list.passedOver()).isEqualTo(4);
    }

    @Test
    void rankedListsAsTrancoAndUmbrellaPublishThemReadTheSecondField() {
        assertThat(names("1,example.com\n2,example.net\n3,example.org\n"))
                .containsExactly("example.com", "example.net", "example.org");
        assertThat(names("rank,domain\n1,example.com\n2,example.net\n")).containsExactly("example.com", "example.net");
    }

    @Test
    void cruxStyleListsPutTheOriginFirstAndTheRankBucketLast() {
        String crux =
                """
                origin,rank
                https://www.example.com,1000
                https://example.net,1000
                http://example.org,5000
                """;

        TargetList list = list(crux, 0);

        assertThat(names(list)).containsExactly("www.example.com", "example.net", "example.org");
        assertThat(list.invalidCount()).isZero();
        assertThat(list.ranked()).isTrue();
        // Without its header row, the numbers at the end of each line tell the layout.
        assertThat(names("https://www.example.com,1000\nhttps://example.net,1000\n"))
                .containsExactly("www.example.com", "example.net");
    }

    @Test
    void aHeaderRowNamesTheTargetsColumnWhereverItIs() {
        String majestic =
                """
                GlobalRank,TldRank,Domain,TLD
                1,1,example.com,com
                2,1,"example.net",net
                GlobalRank,TldRank,Domain,TLD
                3,2,example.org,org
                """;

        TargetList list = list(majestic, 0);

        assertThat(names(list)).containsExactly("example.com", "example.net", "example.org");
        assertThat(list.invalidCount()).as("the repeated header row").isZero();
        TargetList radar = list("domain\nexample.com\nexample.net\n", 0);
        assertThat(names(radar)).containsExactly("example.com", "example.net");
        assertThat(radar.invalidCount()).as("a one-column header row").isZero();
    }

    @Test
    void linesThatDoNotFitTheLayoutAreCountedWithTheirLineNumbersAndTheRestIsRead() {
        String text =
                """
                rank,domain
                1,example.com
                example.net
                x,example.org
                4,not a name
                5,example.info
                """;

        TargetList list = list(text, 0);

        assertThat(names(list)).containsExactly("example.com", "example.info");
        assertThat(list.invalid()).extracting(TargetList.Invalid::line).containsExactly(3L, 4L, 5L);
        assertThat(list.invalid().get(0).reason()).isEqualTo("expected rank,domain (the header row)");
    }

    @Test
    void aCsvLineThatFitsNoLayoutIsInvalidAndTheNextLineDecides() {
        String text =
                """
                first,second
                example.com,somewhere
                1,example.net
                2,example.org
                """;

        TargetList list = list(text, 0);

        assertThat(names(list)).containsExactly("example.net", "example.org");
        assertThat(list.invalid()).singleElement().satisfies(invalid -> {
            assertThat(invalid.line()).isEqualTo(2);
            assertThat(invalid.reason()).contains("rank,domain or domain,rank");
        });
    }

    @Test
    void aFirstCsvLineWithADomainInItIsNotTakenForAHeader() {
        TargetList list = list("example.com,,\nexample.net\n", 0);

        assertThat(names(list)).containsExactly("example.net");
        assertThat(list.invalid()).extracting(TargetList.Invalid::line).containsExactly(1L);
    }

    @Test
    void limitKeepsTheFirstValidTargets() {
        assertThat(names(list("1,example.com\n2,bad name\n3,example.net\n4,example.org\n", 2)))
                .containsExactly("example.com", "example.net");
    }
}
