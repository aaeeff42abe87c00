package dev.chokepoint.web;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * How the web collection may behave: its timeouts, its limits, extra trust anchors and connection overrides.
 *
 * @param requestTimeout the bound on one request, connection included
 * @param siteTimeout the bound on everything fetched for one site
 * @param maxBodyBytes the most bytes read of a body, compressed and again decompressed
 * @param maxRedirects the most redirects followed
 * @param maxResources the most resources extracted from a page
 * @param maxStylesheets the most first-party stylesheets fetched
 * @param maxThirdPartyHosts the most third-party hosts whose DNS is collected
 * @param allowPrivate whether addresses that are not public (private, loopback, documentation …) may be fetched
 * @param trustAnchors CA certificates trusted in addition to the JDK's
 * @param connectTo connection overrides
 */
public record WebSettings(
        Duration requestTimeout,
        Duration siteTimeout,
        long maxBodyBytes,
        int maxRedirects,
        int maxResources,
        int maxStylesheets,
        int maxThirdPartyHosts,
        boolean allowPrivate,
        List<X509Certificate> trustAnchors,
        List<ConnectTo> connectTo) {

    /** Copies the lists. */
    public WebSettings {
        trustAnchors = List.copyOf(trustAnchors);
        connectTo = List.copyOf(connectTo);
    }

    /** The defaults: 10 s a request, 30 s a site, 5 MB bodies, 10 redirects, 2000 resources, 10 stylesheets. */
    public static WebSettings defaults() {
        return new WebSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                5_000_000,
                10,
                2000,
                10,
                100,
                false,
                List.of(),
                List.of());
    }

    /** These settings with private addresses allowed or not. */
    public WebSettings withAllowPrivate(boolean allow) {
        return new WebSettings(
                requestTimeout,
                siteTimeout,
                maxBodyBytes,
                maxRedirects,
                maxResources,
                maxStylesheets,
                maxThirdPartyHosts,
                allow,
                trustAnchors,
                connectTo);
    }
}
