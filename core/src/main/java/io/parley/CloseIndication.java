package io.parley;

import java.util.Objects;

/**
 * How a connection ended: the FD_CLOSE indication with its error code. A graceful end is reported only
 * when both sides' disconnects crossed; anything else is a reset (the peer aborted, or the transport was
 * reset) or an abort (transport lost without a disconnect, protocol violation, timeout, local abort).
 *
 * @param kind   graceful, reset, aborted or refused
 * @param reason the reason code, {@link ReasonCode#UNSPECIFIED} for a graceful end
 * @param detail a human-readable detail (the peer's reason data or a local description), possibly empty
 */
public record CloseIndication(Kind kind, ReasonCode reason, String detail) {

    /** The kinds of ending. */
    public enum Kind {
        /** Both disconnects crossed; every message before them was delivered. */
        GRACEFUL,
        /** The peer aborted or the transport was reset (WSAECONNRESET). */
        RESET,
        /** Ended locally: transport lost, protocol violation, timeout, local abort (WSAECONNABORTED). */
        ABORTED,
        /** The connection request was refused; the connection never opened (WSAECONNREFUSED). */
        REFUSED
    }

    /** A graceful ending. */
    public static final CloseIndication GRACEFUL = new CloseIndication(Kind.GRACEFUL, ReasonCode.UNSPECIFIED, "");

    /** Kind, reason and detail are required. */
    public CloseIndication {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** True for a graceful ending. */
    public boolean isGraceful() {
        return kind == Kind.GRACEFUL;
    }

    /** The FD_CLOSE error code: 0 when graceful, else WSAECONNRESET, WSAECONNABORTED, WSAETIMEDOUT... */
    public WinsockError winsockError() {
        return switch (kind) {
            case GRACEFUL -> WinsockError.NO_ERROR;
            case RESET -> WinsockError.WSAECONNRESET;
            case REFUSED -> reason.winsockError();
            case ABORTED -> reason == ReasonCode.TIMED_OUT ? WinsockError.WSAETIMEDOUT : WinsockError.WSAECONNABORTED;
        };
    }
}
