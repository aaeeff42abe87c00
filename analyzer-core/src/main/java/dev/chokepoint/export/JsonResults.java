package dev.chokepoint.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** Parses one result line; throws {@link IOException} when it is not JSON. */
    public static JsonNode parse(String line) throws IOException {
        return MAPPER.readTree(line);
    }

    /** A result as one line of JSON, for a results file. */
    public static String compact(JsonNode result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a result", e);
        }
    }

    /** The ASCII domain of a result. */
    public static String domain(JsonNode result) {
        return result.path("domain").asText();
    }

    /** Whether a result is an audited site (status {@code ok}). */
    public static boolean ok(JsonNode result) {
        return "ok".equals(result.path("status").asText());
    }

    /** The dependencies of an audited result; empty for an error result. */
    public static Optional<SiteDependencies> dependencies(JsonNode result) {
        if (!ok(result)) {
            return Optional.empty();
        }
        List<String> nameservers = new ArrayList<>();
        result.path("nameservers").forEach(n -> nameservers.add(n.asText()));
        List<ServiceAssessment> services = new ArrayList<>();
        for (JsonNode s : result.path("services")) {
            Optional<Service> service = Service.fromId(s.path("service").asText());
            if (service.isEmpty()) {
                continue;
            }
            List<ProviderUse> providers = new ArrayList<>();
            for (JsonNode p : s.path("providers")) {
                String id = p.path("id").asText();
                int colon = id.lastIndexOf(':');
                Service providerService =
                        Service.fromId(id.substring(colon + 1)).orElse(service.get());
                Provider provider = new Provider(
                        colon > 0 ? id.substring(0, colon) : id,
                        p.path("organisation").asText(),
                        providerService,
                        p.path("known").asBoolean());
                Party party = Party.valueOf(p.path("party").asText("unknown").toUpperCase(Locale.ROOT));
                providers.add(new ProviderUse(
                        provider,
                        party,
                        p.path("indirect").asBoolean(),
                        p.path("singlePointOfFailure").asBoolean(),
                        List.of()));
            }
            services.add(new ServiceAssessment(
                    service.get(),
                    s.path("required").asBoolean(),
                    providers,
                    s.path("critical").asBoolean(),
                    s.path("redundant").asBoolean()));
        }
        List<Survival> survival = new ArrayList<>();
        for (JsonNode f : result.path("survival")) {
            List<Set<String>> alternatives = new ArrayList<>();
            for (JsonNode alternative : f.path("alternatives")) {
                Set<String> components = new LinkedHashSet<>();
                alternative.forEach(c -> components.add(c.asText()));
                alternatives.add(components);
            }
            survival.add(new Survival(
                    f.path("service").asText(),
                    f.path("required").asBoolean(),
                    alternatives,
                    f.path("truncated").asBoolean()));
        }
        return Optional.of(new SiteDependencies(domain(result), nameservers, services, survival));
    }
}
