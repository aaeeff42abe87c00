package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RdfExportTest {
    private static ExportBatch batch;

    @BeforeAll
    static void audit() throws Exception {
        batch = WorldBatch.batch("world-1", WorldBatch.audit());
    }

    private static String export(ExportBatch batch, ExportFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.write(batch, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dump() throws Exception {
        for (ExportFormat f : new ExportFormat[] {ExportFormat.TTL, ExportFormat.TRIG, ExportFormat.JSONLD, ExportFormat.NT}) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/rdf-dump." + f.extension()), export(batch, f));
        }
        assertThat(export(batch, ExportFormat.NT)).isNotEmpty();
    }
}
