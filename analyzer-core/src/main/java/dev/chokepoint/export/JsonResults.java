package dev.chokepoint.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.SiteDependencies;
import dev.chokepoint.assess.Survival;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads audit results back from their JSON form (one object, or a line of a scan's results), for batch analysis. */
public final class JsonResults {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResults() {}

    /**
     * What a scan needs to know of a result line to resume: its site and whether it could be audited.
     *
     * @param domain the site's ASCII name
     * @param failed whether the site could not be audited ({@code "status": "error"})
     * @param errorKind why, when its DNS was the reason ({@code "errorKind"}: {@code no-answer}, ...)
     */
    public record Head(String domain, boolean failed, Optional<String> errorKind) {
        /** A head without an error kind. */
        public Head(String domain, boolean failed) {
            this(domain, failed, Optional.empty());
        }
    }

    /**
     * The head of a result line, or empty when the line is not one whole JSON object with a domain (damaged in the
     * middle of a file, say). The line is read token by token, without building its tree: resuming a million-site
     * scan reads 3.4 GB of lines for these two fields alone.
     */
    public static Optional<Head> headOf(String line) {
        try (JsonParser parser = MAPPER.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String domain = null;
            String status = null;
            String errorKind = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING && name.equals("domain")) {
                    domain = parser.getText();
                } else if (parser.currentToken() == JsonToken.VALUE_STRING && name.equals("status")) {
                    status = parser.getText();
                } else if (parser.currentToken() == JsonToken.VALUE_STRING && name.equals("errorKind")) {
                    errorKind = parser.getText();
                } else {
                    // Reads past the value, checking its syntax all the same.
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null || domain == null || domain.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Head(domain, "error".equals(status), Optional.ofNullable(errorKind)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The ASCII domain of a result line, as {@link #headOf} reads it. */
    public static Optional<String> domainOf(String line) {
        return headOf(line).map(Head::domain);
    }

    /** What {@link #dependencies} reads of a result line; everything else (findings, evidence) is read past. */
    private record Line(
            String domain,
            String status,
            List<String> nameservers,
            List<ServiceLine> services,
            List<SurvivalLine> survival) {}

    private record ServiceLine(
            String service, boolean required, boolean critical, boolean redundant, List<ProviderLine> providers) {}

    private record ProviderLine(
            String id,
            String organisation,
            boolean known,
            String party,
            boolean indirect,
            boolean singlePointOfFailure) {}

    private record SurvivalLine(String service, boolean required, List<List<String>> alternatives, boolean truncated) {}

    private static final ObjectReader LINES =
            MAPPER.readerFor(Line.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The dependencies of a result line; empty for an error result. Reads only what it needs: a report reads every
     * line several times, and building the whole tree of each (findings and evidence are most of a line) was most of
     * its time.
     *
     * @throws IOException when the line is not JSON
     */
    public static Optional<SiteDependencies> dependencies(String line) throws IOException {
        return dependencies(LINES.<Line>readValue(line));
    }

    private static Optional<SiteDependencies> dependencies(Line result) {
        if (result == null || !"ok".equals(result.status())) {
            return Optional.empty();
        }
        List<ServiceAssessment> services = new ArrayList<>();
        for (ServiceLine s : orEmpty(result.services())) {
            Optional<Service> service = Service.fromId(orEmpty(s.service()));
            if (service.isEmpty()) {
                continue;
            }
            List<ProviderUse> providers = new ArrayList<>();
            for (ProviderLine p : orEmpty(s.providers())) {
                String id = orEmpty(p.id());
                int colon = id.lastIndexOf(':');
                Service providerService =
                        Service.fromId(id.substring(colon + 1)).orElse(service.get());
                Provider provider = new Provider(
                        colon > 0 ? id.substring(0, colon) : id, orEmpty(p.organisation()), providerService, p.known());
                String party = p.party() == null ? "unknown" : p.party();
                providers.add(new ProviderUse(
                        provider,
                        Party.valueOf(party.toUpperCase(Locale.ROOT)),
                        p.indirect(),
                        p.singlePointOfFailure(),
                        List.of()));
            }
            services.add(new ServiceAssessment(service.get(), s.required(), providers, s.critical(), s.redundant()));
        }
        List<Survival> survival = new ArrayList<>();
        for (SurvivalLine f : orEmpty(result.survival())) {
            List<Set<String>> alternatives = new ArrayList<>();
            for (List<String> alternative : orEmpty(f.alternatives())) {
                alternatives.add(new LinkedHashSet<>(alternative));
            }
            survival.add(new Survival(orEmpty(f.service()), f.required(), alternatives, f.truncated()));
        }
        return Optional.of(new SiteDependencies(
                orEmpty(result.domain()), List.copyOf(orEmpty(result.nameservers())), services, survival));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
