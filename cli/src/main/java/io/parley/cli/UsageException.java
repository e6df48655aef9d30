package io.parley.cli;

/** The command line is wrong: an unknown option, a missing or malformed value. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception saying what is wrong, in words for the user. */
    UsageException(String message) {
        super(message);
    }
}
