package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonResultsTest {
    private static final String LINE = "{\"target\":\"https://www.example.com/\",\"domain\":\"example.com\","
            + "\"services\":[{\"service\":\"dns\",\"providers\":[{\"id\":\"a\",\"domain\":\"not-this.example\"}]}],"
            + "\"score\":85,\"partial\":false,\"evidence\":null}";

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\t"})
    void theDomainOfAWholeLineIsReadWhereverItStandsAndWhateverSurroundsIt(String around) {
        assertThat(JsonResults.domainOf(around + LINE + around)).contains("example.com");
        assertThat(JsonResults.domainOf(
                        "{\"services\":[{\"domain\":\"not-this.example\"}],\"domain\":\"example.org\"}"))
                .contains("example.org");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "cut short",
                "cut after the domain",
                "garbage in a later field",
                "two objects",
                "not an object",
                "no domain",
                "a domain only deeper down",
                "an empty domain",
                "a domain that is not a string",
                "empty"
            })
    void aLineThatIsNotOneWholeResultWithADomainHasNone(String damage) {
        String line =
                switch (damage) {
                    case "cut short" -> LINE.substring(0, LINE.length() - 1);
                    case "cut after the domain" -> LINE.substring(0, LINE.indexOf(",\"services\""));
                    case "garbage in a later field" -> LINE.replace("\"score\":85", "\"score\":8\u00005");
                    case "two objects" -> LINE + LINE;
                    case "not an object" -> "[\"domain\",\"example.com\"]";
                    case "no domain" -> LINE.replace("\"domain\":\"example.com\",", "");
                    case "a domain only deeper down" -> "{\"x\":{\"domain\":\"example.com\"}}";
                    case "an empty domain" -> LINE.replace("\"example.com\"", "\"\"");
                    case "a domain that is not a string" -> LINE.replace("\"example.com\"", "{\"a\":1}");
                    default -> "";
                };

        assertThat(JsonResults.domainOf(line)).isEmpty();
    }

    @Test
    void theHeadSaysWhetherTheSiteCouldBeAudited() {
        assertThat(JsonResults.headOf(LINE)).contains(new JsonResults.Head("example.com", false));
        assertThat(JsonResults.headOf("{\"domain\":\"x.test\",\"status\":\"error\",\"error\":\"SERVFAIL\"}"))
                .contains(new JsonResults.Head("x.test", true));
        // A status deeper down is not the line's.
        assertThat(JsonResults.headOf(
                        "{\"domain\":\"x.test\",\"status\":\"error\",\"errorKind\":\"no-answer\",\"error\":\"x\"}"))
                .contains(new JsonResults.Head("x.test", true, java.util.Optional.of("no-answer")));
        assertThat(JsonResults.headOf("{\"domain\":\"x.test\",\"checks\":[{\"status\":\"error\"}]}"))
                .contains(new JsonResults.Head("x.test", false));
    }
}
