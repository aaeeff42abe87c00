package dev.chokepoint.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.chokepoint.dns.ReceivedMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WarcRecorderTest {
    @TempDir
    Path dir;

    private static Message[] exchange(int i) throws Exception {
        Name name = Name.fromString("h" + i + ".example.");
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        Message response = new Message(query.getHeader().getID());
        response.addRecord(query.getQuestion(), Section.QUESTION);
        response.addRecord(
                new ARecord(
                        name, DClass.IN, 60, InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i})),
                Section.ANSWER);
        return new Message[] {query, response};
    }

    private static void recordExchanges(WarcRecorder recorder, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Message[] m = exchange(i);
            recorder.recordDns(m[0], m[1], Optional.empty(), Instant.EPOCH);
        }
    }

    @Test
    void exchangesRecordedFromManyThreadsAtOnceAreAllInTheSnapshot() throws Exception {
        Path file = dir.resolve("many.warc.gz");
        int count = 2000;
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> submitted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                submitted.add(threads.submit(() -> {
                    Message[] m = exchange(n);
                    recorder.recordDns(m[0], m[1], Optional.empty(), Instant.EPOCH);
                    return null;
                }));
            }
            for (Future<?> s : submitted) {
                s.get(30, TimeUnit.SECONDS);
            }
        }

        WarcSnapshot snapshot = WarcSnapshot.read(file);
        assertThat(snapshot.size()).isEqualTo(count);
        Message answer = snapshot.send(exchange(1234)[0]);
        assertThat(((ARecord) answer.getSection(Section.ANSWER).getFirst())
                        .getAddress()
                        .getHostAddress())
                .isEqualTo("10.0.4.210");
    }

    @Test
    void recordIdsAreUniqueVersion8UuidsThatDifferOnlyAtTheirEndWithinAFile() throws Exception {
        List<java.util.UUID> ids = new ArrayList<>();
        for (String name : List.of("ids-1.warc.gz", "ids-2.warc.gz")) {
            Path file = dir.resolve(name);
            try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
                recordExchanges(recorder, 50);
            }
            List<java.util.UUID> inFile = new ArrayList<>();
            try (WarcReader reader = new WarcReader(file)) {
                for (WarcRecord record : reader) {
                    String id = record.headers().sole("WARC-Record-ID").orElseThrow();
                    assertThat(id).matches("<urn:uuid:[0-9a-f-]{36}>");
                    inFile.add(java.util.UUID.fromString(id.substring(10, 46)));
                }
            }
            assertThat(inFile).hasSize(1 + 2 * 50); // warcinfo, then a request and a response per exchange
            assertThat(inFile).allSatisfy(id -> {
                assertThat(id.version()).isEqualTo(8);
                assertThat(id.variant()).isEqualTo(2);
                // 74 random bits shared by the file, and a counter in the last 48.
                assertThat(id.getMostSignificantBits())
                        .isEqualTo(inFile.getFirst().getMostSignificantBits());
                assertThat(id.toString())
                        .startsWith(inFile.getFirst().toString().substring(0, 24));
            });
            ids.addAll(inFile);
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.get(0).getMostSignificantBits())
                .as("each file draws its own random part")
                .isNotEqualTo(ids.get(101).getMostSignificantBits());
    }

    @Test
    void snapshotCutOffByAKilledRunReadsUpToTheCutWhenAskedTo() throws Exception {
        Path file = dir.resolve("torn.warc.gz");
        int count = 500;
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recordExchanges(recorder, count);
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length * 3 / 4));

        assertThatThrownBy(() -> WarcSnapshot.read(file))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("torn.warc.gz");
        WarcSnapshot kept = WarcSnapshot.read(List.of(file), true);
        assertThat(kept.size()).isPositive().isLessThan(count);
        assertThat(kept.send(exchange(0)[0]).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void awaitWrittenReturnsOnceEveryExchangeRecordedBeforeItIsInTheFile() throws Exception {
        Path file = dir.resolve("barrier.warc.gz");
        int count = 300;
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recordExchanges(recorder, count); // not waited for one by one

            recorder.awaitWritten();

            assertThat(WarcSnapshot.read(file).size()).isEqualTo(count);
        }
    }

    @Test
    void exchangeThatKeptItsBytesIsRecordedAsItCrossedTheWire() throws Exception {
        Path file = dir.resolve("wire.warc.gz");
        Message[] m = exchange(7);
        Message sent = m[0].clone();
        sent.getHeader().setID(4242); // what a resolver that assigns its own ID put on the wire
        Message answer = m[1].clone();
        answer.getHeader().setID(4242);
        ReceivedMessage received = new ReceivedMessage(answer.toWire(), sent.toWire());
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recorder.recordDns(m[0], received, Optional.empty(), Instant.EPOCH);
        }

        List<byte[]> bodies = new ArrayList<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                if (record instanceof WarcRequest || record instanceof WarcResponse) {
                    bodies.add(record.body().stream().readAllBytes());
                }
            }
        }
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).isEqualTo(received.queryWire());
        assertThat(bodies.get(1)).isEqualTo(received.wire());
        assertThat(new Message(bodies.get(0)).getHeader().getID()).isEqualTo(4242);
    }

    @Test
    void dnsRecordsAreByteForByteWhatJwarcWritesForTheSameFields() throws Exception {
        Path file = dir.resolve("plain.warc");
        Name odd = Name.fromString("a\\032b.example.");
        Message oddQuery = Message.newQuery(Record.newRecord(odd, Type.TXT, DClass.IN));
        Message oddResponse = new Message(oddQuery.getHeader().getID());
        oddResponse.addRecord(oddQuery.getQuestion(), Section.QUESTION);
        Message[] first = exchange(1);
        Message[] second = exchange(300);
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("2001:db8:0:0:0:0:0:53");
        Instant early = Instant.parse("2026-11-24T06:00:00.999Z");
        Instant later = Instant.parse("2026-11-24T06:00:01.001Z");
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recorder.recordDns(first[0], first[1], Optional.of(v4), early);
            recorder.recordDns(second[0], second[1], Optional.of(v6), later);
            recorder.recordDns(oddQuery, oddResponse, Optional.empty(), later);
        }

        List<String> ids = new ArrayList<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                if (record instanceof WarcRequest || record instanceof WarcResponse) {
                    ids.add(record.headers().sole("WARC-Record-ID").orElseThrow());
                }
            }
        }
        assertThat(ids).hasSize(6).doesNotHaveDuplicates();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (WarcWriter jwarc = new WarcWriter(expected)) {
            Object[][] fields = {
                {"dns:h1.example?type=A", first, v4, early},
                {"dns:h300.example?type=A", second, v6, later},
                {"dns:a%5C032b.example?type=TXT", new Message[] {oddQuery, oddResponse}, null, later},
            };
            for (int i = 0; i < fields.length; i++) {
                String target = (String) fields[i][0];
                Message[] m = (Message[]) fields[i][1];
                InetAddress server = (InetAddress) fields[i][2];
                Instant sent = (Instant) fields[i][3];
                URI requestId = URI.create(ids.get(2 * i).replaceAll("[<>]", ""));
                WarcRequest.Builder request = new WarcRequest.Builder(target)
                        .recordId(requestId)
                        .date(sent)
                        .body(WarcRecorder.DNS_MESSAGE, m[0].toWire());
                WarcResponse.Builder response = new WarcResponse.Builder(target)
                        .recordId(URI.create(ids.get(2 * i + 1).replaceAll("[<>]", "")))
                        .date(sent)
                        .concurrentTo(requestId)
                        .body(WarcRecorder.DNS_MESSAGE, m[1].toWire());
                if (server != null) {
                    request.ipAddress(server);
                    response.ipAddress(server);
                }
                jwarc.write(request.build());
                jwarc.write(response.build());
            }
        }

        byte[] written = Files.readAllBytes(file);
        String text = new String(written, StandardCharsets.ISO_8859_1);
        int afterWarcinfo = text.indexOf("WARC/1.0\r\n", 1);
        assertThat(new String(Arrays.copyOfRange(written, afterWarcinfo, written.length), StandardCharsets.ISO_8859_1))
                .isEqualTo(expected.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void nameWithCharactersAUriCannotHoldIsRecordedUnderAnEscapedTarget() throws Exception {
        Path file = dir.resolve("odd.warc.gz");
        Name odd = Name.fromString("a\\032b\\\\c.example."); // labels "a b\\c" and "example"
        Message query = Message.newQuery(Record.newRecord(odd, Type.A, DClass.IN));
        Message response = new Message(query.getHeader().getID());
        response.addRecord(query.getQuestion(), Section.QUESTION);
        response.addRecord(
                new ARecord(odd, DClass.IN, 60, InetAddress.getByAddress(new byte[] {10, 9, 9, 9})), Section.ANSWER);
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recorder.recordDns(query, response, Optional.empty(), Instant.EPOCH);
        }

        List<String> targets = new ArrayList<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                if (record instanceof WarcResponse r) {
                    targets.add(r.target());
                }
            }
        }
        assertThat(targets).containsExactly("dns:a%5C032b%5C%5Cc.example?type=A");
        assertThat(java.net.URI.create(targets.getFirst()).getScheme()).isEqualTo("dns");
        assertThat(WarcSnapshot.read(file).send(query).getSection(Section.ANSWER))
                .hasSize(1);
    }

    @Test
    void errorOnTheWriterThreadFailsWhoeverWaitsInsteadOfHangingThem() throws Exception {
        Path file = dir.resolve("error.warc.gz");
        WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"));
        ReadableByteChannel exploding = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                throw new OutOfMemoryError("test: no memory left");
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        WarcResource record = new WarcResource.Builder(java.net.URI.create("urn:test:exploding"))
                .body(MediaType.OCTET_STREAM, exploding, 10)
                .build();

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> recorder.append(record))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("no memory left");
            // The writer lives on: later exchanges neither block their recorders nor leave a waiter hanging.
            recordExchanges(recorder, 5000);
            assertThatThrownBy(recorder::awaitWritten).isInstanceOf(SnapshotException.class);
            assertThatThrownBy(recorder::close).isInstanceOf(SnapshotException.class);
        });
    }

    @Test
    void warcinfoStatesTheVersionTheRecordsAreWrittenIn() throws Exception {
        Path file = dir.resolve("version.warc.gz");
        try (WarcRecorder recorder = WarcRecorder.create(file, Map.of("software", "test"))) {
            recordExchanges(recorder, 1);
        }

        List<String> formats = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                versions.add(record.version().toString());
                if (record instanceof org.netpreserve.jwarc.Warcinfo info) {
                    formats.addAll(info.fields().all("format"));
                }
            }
        }
        assertThat(versions).hasSize(3).containsOnly("WARC/1.0");
        assertThat(formats).containsExactly("WARC File Format 1.0");
    }

    @Test
    void theStreamChannelWritesHeapAndDirectBuffersAndRefusesWritesOnceClosed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WarcRecorder.StreamChannel channel = new WarcRecorder.StreamChannel(out);
        ByteBuffer heap = ByteBuffer.wrap("xabc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        heap.position(1);
        ByteBuffer direct =
                ByteBuffer.allocateDirect(2).put((byte) 'd').put((byte) 'e').flip();

        assertThat(channel.write(heap)).isEqualTo(3);
        assertThat(channel.write(direct)).isEqualTo(2);
        assertThat(heap.hasRemaining()).isFalse();
        assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abcde");

        channel.close();

        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[] {'f'})))
                .isInstanceOf(java.nio.channels.ClosedChannelException.class);
        assertThat(out.size()).isEqualTo(5);
    }
}
