package dev.chokepoint.target;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.IDNA;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain name in canonical form: IDNA ASCII (UTS #46, non-transitional, as browsers do), lower case and without
 * the trailing dot.
 *
 * @param ascii the canonical ASCII form, for example {@code xn--bcher-kva.example}
 */
public record DomainName(String ascii) implements Comparable<DomainName> {
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ
            | IDNA.USE_STD3_RULES);
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /** Checks that {@code ascii} is already canonical; use {@link #parse} for user input. */
    public DomainName {
        if (!ascii.equals(ascii.toLowerCase(Locale.ROOT)) || ascii.endsWith(".") || ascii.isEmpty()) {
            throw new IllegalArgumentException("not a canonical domain name: " + ascii);
        }
    }

    /**
     * Parses user input: a domain name (ASCII or Unicode, any case, optional trailing dot) or a URL, which is reduced
     * to its host.
     *
     * @throws InvalidTargetException naming the input and why it was rejected
     */
    public static DomainName parse(String input) {
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidTargetException(input, "empty name");
        }
        String host = looksLikeUrl(trimmed) ? hostOf(input, trimmed) : trimmed;
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new InvalidTargetException(input, "empty name");
        }
        if (InetAddresses.isUriInetAddress(host) || InetAddresses.isInetAddress(host)) {
            throw new InvalidTargetException(input, "an IP address is not a domain name");
        }
        if (host.startsWith(".") || host.contains("..")) {
            throw new InvalidTargetException(input, "empty label");
        }
        String ascii = toAscii(input, host);
        checkSyntax(input, ascii);
        return new DomainName(ascii);
    }

    private static boolean looksLikeUrl(String text) {
        return text.contains("://") || text.contains("/") || text.contains("?") || text.contains("#");
    }

    private static String hostOf(String input, String text) {
        String withScheme = text.contains("://") ? text : "http://" + text;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidTargetException(input, "only http and https URLs are accepted, not " + scheme);
            }
            String host = uri.getHost();
            if (host == null) {
                // java.net.URI leaves the host null for non-ASCII hosts; take the authority by hand.
                String authority = uri.getRawAuthority();
                if (authority == null || authority.isEmpty()) {
                    throw new InvalidTargetException(input, "the URL has no host");
                }
                host = authority.replaceFirst("^.*@", "").replaceFirst(":\\d*$", "");
            }
            return host;
        } catch (URISyntaxException e) {
            throw new InvalidTargetException(input, "not a valid URL (" + e.getReason() + ")");
        }
    }

    private static String toAscii(String input, String host) {
        if (host.length() > MAX_NAME_LENGTH * 4) {
            throw new InvalidTargetException(input, "name longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (String label : host.split("\\.", -1)) {
            if (label.length() > MAX_LABEL_LENGTH && label.chars().allMatch(c -> c < 128)) {
                throw new InvalidTargetException(
                        input, "label '" + abbreviate(label) + "' is longer than " + MAX_LABEL_LENGTH + " characters");
            }
        }
        StringBuilder out = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(host, out, info);
        if (info.hasErrors()) {
            throw new InvalidTargetException(input, describe(info));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static String describe(IDNA.Info info) {
        var errors = info.getErrors();
        if (errors.contains(IDNA.Error.EMPTY_LABEL)) {
            return "empty label";
        }
        if (errors.contains(IDNA.Error.LABEL_TOO_LONG)) {
            return "a label is longer than " + MAX_LABEL_LENGTH + " characters";
        }
        if (errors.contains(IDNA.Error.DOMAIN_NAME_TOO_LONG)) {
            return "name longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (errors.contains(IDNA.Error.LEADING_HYPHEN) || errors.contains(IDNA.Error.TRAILING_HYPHEN)) {
            return "a label starts or ends with a hyphen";
        }
        if (errors.contains(IDNA.Error.DISALLOWED)) {
            return "contains a character not allowed in host names (letters, digits and hyphens only)";
        }
        return "not a valid internationalised domain name (" + errors + ")";
    }

    private static void checkSyntax(String input, String ascii) {
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw new InvalidTargetException(input, "name longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidTargetException(input, "empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new InvalidTargetException(
                        input, "label '" + abbreviate(label) + "' is longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new InvalidTargetException(
                        input, "label '" + label + "' has characters other than letters, digits and inner hyphens");
            }
        }
        if (labels.length < 2) {
            throw new InvalidTargetException(input, "a site name needs at least two labels");
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            // No top-level domain is numeric, and browsers read such names (1.1, 0x7f.0.0.1) as IPv4 addresses.
            throw new InvalidTargetException(input, "the last label is numeric: an IP address, not a domain name");
        }
        if (InternetDomainName.isValid(ascii) && InternetDomainName.from(ascii).isPublicSuffix()) {
            throw new InvalidTargetException(input, ascii + " is a public suffix, not a site");
        }
    }

    private static String abbreviate(String label) {
        return label.length() <= 20 ? label : label.substring(0, 17) + "...";
    }

    /** The Unicode form for display, for example {@code bücher.example}; equal to {@link #ascii()} when not an IDN. */
    public String unicode() {
        StringBuilder out = new StringBuilder();
        UTS46.nameToUnicode(ascii, out, new IDNA.Info());
        return out.toString();
    }

    /** Whether the name has an internationalised (xn--) label. */
    public boolean isInternationalised() {
        return !unicode().equals(ascii);
    }

    /**
     * The registrable domain by the Public Suffix List (private section included, so that two github.io sites are
     * different parties), or the last two labels when the name is not under a known public suffix.
     */
    public DomainName registrable() {
        return new DomainName(organisationalDomainOf(ascii));
    }

    /**
     * The registrable domain of a host name by the Public Suffix List, or its last two labels when it is not under a
     * known public suffix (a private or test TLD), so that names can always be grouped by owner.
     */
    public static String organisationalDomainOf(String hostName) {
        String name = hostName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        // Service labels such as _spf or _dmarc are not valid host names for the PSL library: judge the owner by
        // the name below the last of them.
        int underscore = name.lastIndexOf("_");
        if (underscore >= 0) {
            int dot = name.indexOf('.', underscore);
            if (dot > 0 && dot < name.length() - 1) {
                String owner = name.substring(dot + 1);
                if (!(InternetDomainName.isValid(owner)
                        && InternetDomainName.from(owner).isPublicSuffix())) {
                    name = owner;
                }
            }
        }
        Optional<String> registrable = registrableOf(name);
        if (registrable.isPresent()) {
            return registrable.get();
        }
        int last = name.lastIndexOf('.');
        int previous = last > 0 ? name.lastIndexOf('.', last - 1) : -1;
        return previous < 0 ? name : name.substring(previous + 1);
    }

    /**
     * The registrable domain of any host name, by the Public Suffix List; empty when the name is not under a known
     * public suffix or is itself one.
     */
    public static Optional<String> registrableOf(String hostName) {
        String name = hostName.endsWith(".") ? hostName.substring(0, hostName.length() - 1) : hostName;
        name = name.toLowerCase(Locale.ROOT);
        InternetDomainName domain;
        try {
            // Not isValid first: it parses the name as from does, and a batch scan did both for every host name.
            domain = InternetDomainName.from(name);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!domain.isUnderPublicSuffix()) {
            return Optional.empty();
        }
        return Optional.of(domain.topPrivateDomain().toString());
    }

    /** Whether this name equals {@code other} or is below it. */
    public boolean isWithin(DomainName other) {
        return ascii.equals(other.ascii) || ascii.endsWith("." + other.ascii);
    }

    /** The name with {@code label} prepended, for example {@code www}. */
    public DomainName child(String label) {
        return new DomainName(label + "." + ascii);
    }

    @Override
    public int compareTo(DomainName other) {
        return ascii.compareTo(other.ascii);
    }

    @Override
    public String toString() {
        return ascii;
    }
}
