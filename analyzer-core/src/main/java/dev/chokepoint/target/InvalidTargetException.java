package dev.chokepoint.target;

/** Thrown when user input cannot be turned into a domain name; the message names the input and the reason. */
public final class InvalidTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;

    /** Creates an exception for {@code input}, rejected because of {@code reason}. */
    public InvalidTargetException(String input, String reason) {
        super("invalid target '" + input + "': " + reason);
        this.input = input;
    }

    /** The input as the user gave it. */
    public String input() {
        return input;
    }
}
