package io.parley.cli;

import io.parley.ConnectionEndedException;
import io.parley.ConnectionRefusedException;
import io.parley.NoListenerException;
import io.parley.ShutdownException;

import java.io.IOException;
import java.net.SocketTimeoutException;

/** The exit statuses of the parley commands, each with what it means. */
enum ExitCode {
    /** Success. */
    OK(0, "success"),
    /** Anything else. */
    FAILED(1, "anything else: bad usage, an unreadable answer, an I/O error"),
    /** The server refused the connection (its reason is printed), or nothing listens at the address. */
    REFUSED(2, "refused: the server rejected the request (its reason is printed) or nothing listens there"),
    /** The connection was aborted or reset. */
    ENDED(3, "the connection was aborted or reset before the grand total arrived"),
    /** No answer in time. */
    TIMED_OUT(4, "timed out: no decision, acknowledgement or grand total within the timeout"),
    /** The totals did not reconcile. */
    NOT_RECONCILED(5, "the totals did not reconcile (the server's count is not the claim, or the grand "
            + "total is too small)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    int code() {
        return code;
    }

    /** What the status means, for help texts. */
    String meaning() {
        return meaning;
    }

    /** The status for a session that failed with {@code failure}. */
    static ExitCode of(IOException failure) {
        return switch (failure) {
            case ConnectionRefusedException e -> REFUSED;
            case NoListenerException e -> REFUSED;
            case ConnectionEndedException e -> ENDED;
            case ShutdownException e -> ENDED;
            case SocketTimeoutException e -> TIMED_OUT;
            default -> FAILED;
        };
    }

    /** One line that tells the user why a session failed with {@code failure}. */
    static String describe(IOException failure) {
        return switch (failure) {
            case ConnectionRefusedException e -> "refused: "
                    + (e.reasonText().isEmpty() ? e.reason().toString() : e.reasonText());
            case NoListenerException e -> "refused: " + e.getMessage();
            case ConnectionEndedException e -> "connection aborted or reset: " + e.getMessage();
            case ShutdownException e -> "connection ended: " + e.getMessage();
            case SocketTimeoutException e -> "timed out: " + e.getMessage();
            default -> failure.getMessage() == null ? failure.toString() : failure.getMessage();
        };
    }
}
