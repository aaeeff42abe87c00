package dev.chokepoint.testdns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The zones a {@link ZoneServer} serves, searched by longest matching origin. */
record ServedZones(List<ServedZone> zones) {

    ServedZones {
        // Deepest origin first, so the first containing zone is the most specific one.
        zones = zones.stream()
                .sorted(Comparator.comparingInt(
                                (ServedZone zone) -> zone.origin().labels())
                        .reversed())
                .toList();
    }

    /** Parses zone texts keyed by origin (with or without the trailing dot). */
    static ServedZones fromTexts(Map<String, String> zoneTexts) throws IOException {
        List<ServedZone> zones = new ArrayList<>();
        for (Map.Entry<String, String> entry : zoneTexts.entrySet()) {
            Name origin = absoluteName(entry.getKey());
            try {
                zones.add(ServedZone.parse(origin, entry.getValue()));
            } catch (IOException e) {
                throw new IOException("cannot load zone " + origin + ": " + e.getMessage(), e);
            }
        }
        return new ServedZones(zones);
    }

    /** Loads every {@code ORIGIN.zone} file in the directory. */
    static ServedZones fromDirectory(Path zoneDirectory) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        for (ZoneFile file : ZoneFile.listIn(zoneDirectory)) {
            texts.put(file.origin(), Files.readString(file.path()));
        }
        return fromTexts(texts);
    }

    /** The served zone with the longest origin that contains the name, if any. */
    Optional<ServedZone> closestTo(Name name) {
        return zones.stream().filter(zone -> zone.contains(name)).findFirst();
    }

    /** Parses a DNS name given with or without its trailing dot. */
    static Name absoluteName(String name) throws TextParseException {
        return Name.fromString(name, Name.root);
    }
}
