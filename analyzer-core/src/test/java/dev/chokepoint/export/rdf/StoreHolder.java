package dev.chokepoint.export.rdf;

import java.nio.file.Path;

/** A separate process that opens a store, says {@code open}, and keeps it open until its standard input closes. */
public final class StoreHolder {
    private StoreHolder() {}

    /** Opens the store in {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        try (RdfStore store = RdfStore.open(Path.of(args[0]))) {
            System.out.println("open " + store.runs().size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
