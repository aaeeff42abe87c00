package dev.chokepoint.cli;

import dev.chokepoint.dns.DnsClient;
import dev.chokepoint.provider.Attributor;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.snapshot.RecordingWebClient;
import dev.chokepoint.snapshot.WarcRecorder;
import dev.chokepoint.web.WebClient;
import dev.chokepoint.web.WebSettings;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds the auditor of {@code audit}, {@code export} and {@code scan} from what each command has gathered. */
final class Auditors {
    private Auditors() {}

    /**
     * An auditor that asks DNS through {@code dns} and, when {@code web} is present, fetches each site's page through
     * the client {@code fetcher} makes, recording every exchange into {@code recorder} when there is one (null: none).
     */
    static Auditor create(
            DnsClient dns,
            Attributor attributor,
            Optional<WebSettings> web,
            Supplier<WebClient> fetcher,
            WarcRecorder recorder) {
        if (web.isEmpty()) {
            return new Auditor(dns, attributor);
        }
        WebClient client = fetcher.get();
        if (recorder != null) {
            client = new RecordingWebClient(client, recorder);
        }
        return new Auditor(dns, attributor, client, web.get());
    }
}
