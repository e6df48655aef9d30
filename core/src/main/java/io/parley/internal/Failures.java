package io.parley.internal;

import io.parley.CloseIndication;
import io.parley.ConnectionEndedException;
import io.parley.ConnectionRefusedException;
import io.parley.MessageTooLargeException;
import io.parley.NotConnectedException;
import io.parley.ReasonCode;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.UnsupportedProtocolException;
import io.parley.protocol.IllegalCommandException;

import java.io.IOException;

/** Turns engine refusals and close indications into the API's typed exceptions. */
public final class Failures {

    private Failures() {
    }

    /**
     * The exception for a command the engine refused; {@code ending} is how the connection ended, or null.
     * Invalid arguments (WSAEINVAL) stay unchecked: they are programming errors.
     */
    public static IOException ofCommand(IllegalCommandException e, CloseIndication ending) {
        if (ending != null && !ending.isGraceful() && ending.kind() != CloseIndication.Kind.REFUSED) {
            return ConnectionEndedException.of(ending);
        }
        return switch (e.winsockError()) {
            case WSAEMSGSIZE -> new MessageTooLargeException(e.getMessage());
            case WSAENOTCONN -> new NotConnectedException(e.getMessage());
            case WSAEINVAL -> throw new IllegalArgumentException(e.getMessage(), e);
            default -> new ShutdownException(e.getMessage());
        };
    }

    /** The exception a connect fails with, given how the attempt ended and the callee's reason data if refused. */
    public static IOException ofConnect(CloseIndication ending, byte[] refusalData, boolean deferred,
                                        long timeoutMillis) {
        ReasonCode reason = ending.reason();
        if (reason == ReasonCode.NOT_PARLEY || reason == ReasonCode.VERSION_UNSUPPORTED) {
            return new UnsupportedProtocolException(ending.detail());
        }
        if (ending.kind() == CloseIndication.Kind.REFUSED) {
            return new ConnectionRefusedException(reason, refusalData);
        }
        if (reason == ReasonCode.TIMED_OUT) {
            return new TimedOutException("no answer to the connection request within " + timeoutMillis + " ms"
                    + (deferred ? " (the callee deferred it)" : ""));
        }
        return ConnectionEndedException.of(ending);
    }
}
