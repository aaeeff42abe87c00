package dev.chokepoint.testdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class ZoneServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ZoneServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = ZoneServer.start(basicZones());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void existingRecordIsAnsweredWithAuthoritativeAndRecursionAvailableFlags() throws IOException {
        Message response = ask("example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(addresses(response)).containsExactly("192.0.2.10");
    }

    @Test
    void namesAreMatchedCaseInsensitively() throws IOException {
        assertThat(addresses(ask("MAIL.Example.COM.", Type.A))).containsExactly("192.0.2.25");
    }

    @Test
    void cnameIsAnsweredWithoutChasing() throws IOException {
        Message response = ask("www.example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(CNAMERecord.class, cname -> assertThat(cname.getTarget())
                        .isEqualTo(name("web.example.net.")));
    }

    @Test
    void cnameChainIsChasedWithinServedZonesWhenEnabled() throws IOException {
        server.chaseCnames(true);

        Message response = ask("alias.example.com.", Type.A);

        assertThat(response.getSection(Section.ANSWER))
                .extracting(Record::getName, Record::getType)
                .containsExactly(
                        tuple(name("alias.example.com."), Type.CNAME),
                        tuple(name("www.example.com."), Type.CNAME),
                        tuple(name("web.example.net."), Type.A));
    }

    @Test
    void chasedCnameToMissingNameIsNxdomainWithTargetZoneSoa() throws IOException {
        server.chaseCnames(true);

        Message response = ask("dangling.example.net.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        assertThat(soaOwner(response)).isEqualTo(name("example.net."));
    }

    @Test
    void cnameQueryIsAnsweredWithTheCnameItself() throws IOException {
        Message response = ask("www.example.com.", Type.CNAME);

        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    }

    @Test
    void missingTypeIsNodataWithZoneSoa() throws IOException {
        Message response = ask("mail.example.com.", Type.AAAA);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(soaOwner(response)).isEqualTo(name("example.com."));
    }

    @Test
    void negativeAnswerSoaTtlIsCappedAtSoaMinimum() throws IOException {
        Message response = ask("mail.example.com.", Type.AAAA);

        assertThat(response.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(60);
    }

    @Test
    void missingNameIsNxdomainWithZoneSoa() throws IOException {
        Message response = ask("nothing-here.example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(soaOwner(response)).isEqualTo(name("example.com."));
    }

    @Test
    void emptyNonTerminalIsNodataNotNxdomain() throws IOException {
        Message response = ask("deep.example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soaOwner(response)).isEqualTo(name("example.com."));
    }

    @Test
    void wildcardAnswersAnyNameBelowIt() throws IOException {
        assertThat(addresses(ask("anything.wild.example.com.", Type.A))).containsExactly("192.0.2.88");
        assertThat(ask("anything.wild.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void delegationToUnservedZoneIsReferral() throws IOException {
        Message response = ask("www.shop.example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY))
                .singleElement()
                .isInstanceOfSatisfying(
                        NSRecord.class, ns -> assertThat(ns.getTarget()).isEqualTo(name("ns.shop.example.com.")));
        assertThat(response.getSection(Section.ADDITIONAL))
                .filteredOn(record -> record.getType() == Type.A)
                .hasSize(1);
    }

    @Test
    void servedChildZoneWinsOverParentDelegation() throws IOException {
        Message response = ask("dept.example.com.", Type.A);

        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(addresses(response)).containsExactly("192.0.2.40");
    }

    @Test
    void nameOutsideServedZonesIsRefused() throws IOException {
        Message response = ask("example.org.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void largeUdpAnswerIsTruncatedAndRetriedOverTcp() throws IOException {
        Message response = ask("big.example.com.", Type.TXT);

        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).hasSize(30);
        assertThat(server.queryLog()).containsExactly("big.example.com. TXT udp", "big.example.com. TXT tcp");
    }

    @Test
    void truncatedUdpResponseHasTcFlagAndEmptyAnswer() throws IOException {
        SimpleResolver resolver = resolver();
        resolver.setIgnoreTruncation(true);

        Message response = resolver.send(query("big.example.com.", Type.TXT));

        assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getQuestion().getName()).isEqualTo(name("big.example.com."));
    }

    @Test
    void udpLimitFollowsClientEdnsPayloadSizeAndIs512WithoutEdns() throws IOException {
        SimpleResolver withEdns = resolver();
        withEdns.setIgnoreTruncation(true);
        SimpleResolver withoutEdns = resolver();
        withoutEdns.setIgnoreTruncation(true);
        withoutEdns.setEDNS(null);

        Message edns = withEdns.send(query("medium.example.com.", Type.TXT));
        Message classic = withoutEdns.send(query("medium.example.com.", Type.TXT));

        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.getSection(Section.ANSWER)).hasSize(8);
        assertThat(classic.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(classic.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void tcpConnectionCarriesSeveralQueries() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 2_000);
            socket.setSoTimeout(2_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());

            for (String host : List.of("mail.example.com.", "ns1.example.com.")) {
                byte[] wire = query(host, Type.A).toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                assertThat(new Message(reply).getQuestion().getName()).isEqualTo(name(host));
            }
        }
        assertThat(server.queryLog()).containsExactly("mail.example.com. A tcp", "ns1.example.com. A tcp");
    }

    @Test
    void nextQueryDroppedOnlyOnce() throws IOException {
        server.dropNextQueryFor("www.example.com");
        SimpleResolver resolver = resolver();
        resolver.setTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> resolver.send(query("www.example.com.", Type.A)))
                .isInstanceOf(IOException.class);
        assertThat(resolver.send(query("www.example.com.", Type.A)).getSection(Section.ANSWER))
                .isNotEmpty();
    }

    @Test
    void droppedQueriesTimeOut() throws IOException {
        server.dropQueriesFor("WWW.Example.com");
        SimpleResolver resolver = resolver();
        resolver.setTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> resolver.send(query("www.example.com.", Type.A)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> resolver.send(query("www.example.com.", Type.AAAA)))
                .isInstanceOf(IOException.class);
        assertThat(addresses(ask("mail.example.com.", Type.A))).containsExactly("192.0.2.25");
        assertThat(server.queryCount()).isEqualTo(3);
    }

    @Test
    void servfailIsInjectedForTheNamedOwner() throws IOException {
        server.servfailFor("mail.example.com.");

        assertThat(ask("mail.example.com.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask("ns1.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void refusalIsInjectedForTheNamedOwner() throws IOException {
        server.refuseFor("mail.example.com");

        assertThat(ask("mail.example.com.", Type.MX).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void clearedFaultsRestoreNormalAnswers() throws IOException {
        server.servfailFor("mail.example.com");
        server.clearFaults();

        assertThat(ask("mail.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void queryLogRecordsNameTypeAndTransport() throws IOException {
        ask("Mail.Example.com.", Type.A);
        ask("example.com.", Type.MX);

        assertThat(server.queryLog()).containsExactly("mail.example.com. A udp", "example.com. MX udp");
        assertThat(server.queryCount()).isEqualTo(2);
    }

    @Test
    void malformedPacketsAreAnsweredWithFormerrOrIgnored() throws IOException {
        try (DatagramSocket socket =
                new DatagramSocket(new InetSocketAddress(server.address().getAddress(), 0))) {
            socket.setSoTimeout(2_000);
            socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, server.address()));
            byte[] headerThenGarbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 42, 42, 42};
            socket.send(new DatagramPacket(headerThenGarbage, headerThenGarbage.length, server.address()));

            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message formerr = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
            assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
        }
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 2_000);
            socket.getOutputStream().write(new byte[] {0, 5, 9, 9, 9, 9, 9});
        }

        assertThat(addresses(ask("mail.example.com.", Type.A))).containsExactly("192.0.2.25");
    }

    @Test
    void zonesCanBeGivenInlineUsingOriginDirective() throws IOException {
        String zone =
                """
                $ORIGIN inline.test.
                $TTL 60
                @    IN SOA ns.inline.test. admin.inline.test. 1 60 60 60 60
                @    IN NS  ns
                ns   IN A   127.0.0.1
                host IN A   192.0.2.1
                """;
        try (ZoneServer inline = ZoneServer.start(Map.of("inline.test", zone))) {
            SimpleResolver resolver = new SimpleResolver(inline.address());
            resolver.setTimeout(TIMEOUT);

            Message response = resolver.send(query("host.inline.test.", Type.A));

            assertThat(addresses(response)).containsExactly("192.0.2.1");
        }
    }

    @Test
    void closeFreesThePortForBothTransports() throws IOException {
        int port = server.port();
        InetSocketAddress address = server.address();

        server.close();

        try (DatagramSocket udp = new DatagramSocket(address);
                ServerSocket tcp = new ServerSocket()) {
            tcp.bind(address);
            assertThat(udp.getLocalPort()).isEqualTo(port);
            assertThat(tcp.getLocalPort()).isEqualTo(port);
        }
    }

    static Path basicZones() {
        try {
            return Path.of(ZoneServerTest.class.getResource("/testdns/basic").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Message ask(String host, int type) throws IOException {
        return resolver().send(query(host, type));
    }

    private SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(TIMEOUT);
        return resolver;
    }

    private static Message query(String host, int type) throws TextParseException {
        return Message.newQuery(Record.newRecord(name(host), type, DClass.IN));
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(record -> ((ARecord) record).getAddress().getHostAddress())
                .toList();
    }

    private static Name soaOwner(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance)
                .map(Record::getName)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SOA in authority section: " + response));
    }

    private static Name name(String name) {
        return Name.fromConstantString(name);
    }
}
