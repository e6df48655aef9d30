package io.parley.cli;

import io.parley.ConnectionEndedException;
import io.parley.ConnectionRefusedException;
import io.parley.NoListenerException;
import io.parley.ShutdownException;
import io.parley.UnsupportedProtocolException;

import java.io.IOException;
import java.net.SocketTimeoutException;

/** The exit statuses of the parley commands, each with what it means. */
enum ExitCode {
    /** Success. */
    OK(0, "success"),
    /** Anything else. */
    FAILED(1, "anything else: bad usage, an unreadable answer, an I/O error"),
    /**
     * The server refused the connection (its reason is printed), shares no protocol version with the client
     * (or is not a Parley server), or nothing listens at the address.
     */
    REFUSED(2, "refused: the server rejected the request (its reason is printed) or speaks no protocol "
            + "version this client does, or nothing (no Parley server) listens there"),
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

    /**
     * The process exit status.
     *
     * @return the status, 0 to 5
     */
    int code() {
        return code;
    }

    /**
     * What the status means, for help texts.
     *
     * @return one or more lines
     */
    String meaning() {
        return meaning;
    }

    /**
     * The status for a session that failed with {@code failure}. A version mismatch is a refusal: the server
     * answered, and a connect can never succeed (WSAEPROTONOSUPPORT; the protocol's outcome is refused,
     * VERSION_UNSUPPORTED). So is an answer that is not Parley at all: no Parley server listens there.
     *
     * @param failure why the session failed
     * @return its status
     */
    static ExitCode of(IOException failure) {
        return switch (failure) {
            case ConnectionRefusedException e -> REFUSED;
            case UnsupportedProtocolException e -> REFUSED;
            case NoListenerException e -> REFUSED;
            case ConnectionEndedException e -> ENDED;
            case ShutdownException e -> ENDED;
            case SocketTimeoutException e -> TIMED_OUT;
            default -> FAILED;
        };
    }

    /**
     * One line that tells the user why a session failed with {@code failure}.
     *
     * @param failure why the session failed
     * @return the line, without the command's name
     */
    static String describe(IOException failure) {
        return switch (failure) {
            case ConnectionRefusedException e -> "refused: "
                    + (e.reasonText().isEmpty() ? e.reason().toString() : e.reasonText() + " (" + e.reason() + ")");
            case UnsupportedProtocolException e -> "refused: the server does not speak this client's protocol ("
                    + e.getMessage() + ")";
            case NoListenerException e -> "refused: " + e.getMessage();
            case ConnectionEndedException e -> "connection aborted or reset: " + e.getMessage();
            case ShutdownException e -> "connection ended: " + e.getMessage();
            case SocketTimeoutException e -> "timed out: " + e.getMessage();
            default -> failure.getMessage() == null ? failure.toString() : failure.getMessage();
        };
    }
}
