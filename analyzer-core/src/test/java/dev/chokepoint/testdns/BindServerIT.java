package dev.chokepoint.testdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class BindServerIT {

    private static BindServer server;

    @BeforeAll
    static void startNamed() throws IOException {
        Assumptions.assumeTrue(BindServer.namedBinary().isPresent(), "BIND's named is not installed");
        server = BindServer.start(ZoneServerTest.basicZones());
    }

    @AfterAll
    static void stopNamed() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servedRecordIsAnsweredAuthoritatively() throws IOException {
        Message response = ask("example.com.", Type.A);

        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(
                        ARecord.class,
                        a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("192.0.2.10"));
    }

    @Test
    void cnameAnswerStartsWithTheCname() throws IOException {
        Message response = ask("www.example.com.", Type.A);

        assertThat(response.getSection(Section.ANSWER).get(0))
                .isInstanceOfSatisfying(CNAMERecord.class, cname -> assertThat(cname.getTarget())
                        .isEqualTo(Name.fromConstantString("web.example.net.")));
    }

    @Test
    void missingTypeIsNodataWithSoa() throws IOException {
        Message response = ask("mail.example.com.", Type.AAAA);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void missingNameIsNxdomainWithSoa() throws IOException {
        Message response = ask("nothing-here.example.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void nameOutsideServedZonesIsRefused() throws IOException {
        assertThat(ask("example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void largeAnswerIsTruncatedOverUdpAndRetriedOverTcp() throws IOException {
        SimpleResolver udpOnly = resolver();
        udpOnly.setIgnoreTruncation(true);

        assertThat(udpOnly.send(query("big.example.com.", Type.TXT)).getHeader().getFlag(Flags.TC))
                .isTrue();
        assertThat(ask("big.example.com.", Type.TXT).getSection(Section.ANSWER)).hasSize(30);
    }

    @Test
    void closeStopsNamedAndFreesItsPort() throws IOException {
        BindServer second = BindServer.start(ZoneServerTest.basicZones());
        InetSocketAddress address = second.address();

        second.close();

        try (DatagramSocket udp = new DatagramSocket(address);
                ServerSocket tcp = new ServerSocket()) {
            tcp.bind(address);
            assertThat(udp.getLocalPort()).isEqualTo(address.getPort());
            assertThat(tcp.getLocalPort()).isEqualTo(address.getPort());
        }
    }

    @Test
    void startFailureReportsNamedLog(@TempDir Path zones) throws IOException {
        Files.copy(ZoneServerTest.basicZones().resolve("example.net.zone"), zones.resolve("bad..name.zone"));

        assertThatThrownBy(() -> BindServer.start(zones))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("named log");
    }

    private static Message ask(String host, int type) throws IOException {
        return resolver().send(query(host, type));
    }

    private static SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    private static Message query(String host, int type) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(host), type, DClass.IN));
    }
}
