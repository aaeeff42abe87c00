package dev.chokepoint.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The datasets an audit reads: provider fingerprints and the IP-to-ASN table.
 *
 * @param catalog provider fingerprints from {@code providers/}
 * @param asns the IP-to-ASN table from {@code asn/}; empty when it was not fetched
 * @param entities the third-party entity map from {@code entities/}
 */
public record Datasets(ProviderCatalog catalog, AsnTable asns, EntityMap entities) {
    /** Datasets without an entity map. */
    public Datasets(ProviderCatalog catalog, AsnTable asns) {
        this(catalog, asns, EntityMap.empty());
    }

    /**
     * Loads {@code root/providers} and {@code root/asn}.
     *
     * @throws DatasetException naming the file (and line) that cannot be used
     */
    public static Datasets load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root.toString(), "no such datasets directory");
        }
        ProviderCatalog catalog = ProviderCatalog.load(root.resolve("providers"));
        EntityMap entities = EntityMap.load(root.resolve("entities"));
        try {
            return new Datasets(catalog, AsnTable.load(root.resolve("asn")), entities);
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(root.resolve("asn").toString(), e.getMessage(), e);
        }
    }

    /** An attributor over these datasets. */
    public Attributor attributor() {
        return new Attributor(catalog, asns, entities);
    }
}
