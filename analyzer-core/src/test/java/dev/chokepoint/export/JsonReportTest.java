package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.dns.DnsFailure;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.target.DomainName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    @Test
    void aResultLineIsTheCompactUtf8FormOfTheResultObject() throws Exception {
        // The sample (web resources, an IDN whose Unicode name is not ASCII), DNS-only audits of the test world, and a
        // failed audit.
        List<AuditResult> results = new ArrayList<>(ExportFixture.replaySample());
        results.addAll(ExportFixture.audit(ExportFixture.SITES));
        results.add(AuditResult.failed("broken.test", DomainName.parse("broken.test"), "no resolver answered: \"x\""));
        assertThat(results).anySatisfy(r -> assertThat(r.assessment())
                .hasValueSatisfying(a -> assertThat(a.resources()).isNotEmpty()));

        for (AuditResult result : results) {
            byte[] line = JsonReport.line(result);

            assertThat(line).isEqualTo(COMPACT.writeValueAsBytes(JsonReport.result(result)));
            assertThat(new String(line, StandardCharsets.UTF_8))
                    .doesNotContain("\n")
                    .contains("\"unicode\":\"" + result.domain().unicode() + "\"");
        }
    }

    @Test
    void aSiteWhoseDnsFailedSaysWhichWayItFailed() throws Exception {
        DomainName domain = DomainName.parse("broken.test");
        AuditResult silent = AuditResult.failed(
                "broken.test",
                domain,
                new DnsFailure(DnsFailure.Kind.NO_ANSWER, "no resolver answered broken.test SOA"));
        AuditResult other = AuditResult.failed("broken.test", domain, "internal error: boom");

        var line = COMPACT.readTree(JsonReport.line(silent));
        assertThat(line.get("status").asText()).isEqualTo("error");
        assertThat(line.get("error").asText()).isEqualTo("no resolver answered broken.test SOA");
        assertThat(line.get("errorKind").asText()).isEqualTo("no-answer");
        assertThat(COMPACT.readTree(JsonReport.line(other)).has("errorKind")).isFalse();
        assertThat(JsonReport.result(silent).get("errorKind").asText()).isEqualTo("no-answer");
    }
}
