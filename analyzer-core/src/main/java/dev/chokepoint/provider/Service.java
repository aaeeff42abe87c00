package dev.chokepoint.provider;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a provider does for a site. Outages hit services, not whole companies. */
public enum Service {
    /** Authoritative DNS for the site's zone. */
    DNS("DNS"),
    /** The site's web front door: its entry names, whatever CDN or hosting serves them. */
    WEB("web"),
    /** Content delivery network or reverse proxy in front of the site. */
    CDN("CDN"),
    /** The servers that host the site. */
    HOSTING("hosting"),
    /** Receiving mail (MX). */
    MAIL("mail"),
    /** Sending mail on the site's behalf (SPF include). */
    SENDING("mail sending"),
    /** Certificate authority. */
    CA("certificate authority"),
    /** Third-party content a page loads: scripts, stylesheets, fonts, images, frames. */
    CONTENT("page content");

    private final String label;
    private final String id = name().toLowerCase(Locale.ROOT);

    Service(String label) {
        this.label = label;
    }

    /** The identifier used in datasets and JSON, for example {@code dns}. */
    public String id() {
        return id;
    }

    /** A label for people, for example {@code certificate authority}. */
    public String label() {
        return label;
    }

    /** The service with identifier {@code id}, if any. */
    public static Optional<Service> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** Every identifier, comma separated, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "));
    }
}
