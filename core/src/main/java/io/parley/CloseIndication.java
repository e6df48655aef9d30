package io.parley;

import java.util.Objects;

/**
 * How a connection ended: the FD_CLOSE indication with its error code. A graceful end is reported only
 * when both sides' disconnects crossed (and, for the whole connection's end, this side's was acknowledged);
 * anything else is unconfirmed (this side's disconnect was sent, the peer's received, but the transport
 * ended before the acknowledgement), a reset (the peer aborted, or the transport was reset) or an abort
 * (transport lost without a disconnect, protocol violation, timeout, local abort).
 *
 * @param kind   graceful, unconfirmed, reset, aborted or refused
 * @param reason the reason code, {@link ReasonCode#UNSPECIFIED} for a graceful end
 * @param detail a human-readable detail (the peer's reason data or a local description), possibly empty
 */
public record CloseIndication(Kind kind, ReasonCode reason, String detail) {

    /** The kinds of ending. */
    public enum Kind {
        /** Both disconnects crossed; every message before them was delivered. */
        GRACEFUL,
        /**
         * This side's disconnect was sent and the peer's received, but the peer's acknowledgement never came:
         * the peer may or may not have received this side's disconnect data. Never graceful.
         */
        UNCONFIRMED,
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

    /**
     * True for a graceful ending.
     *
     * @return true for a graceful ending
     */
    public boolean isGraceful() {
        return kind == Kind.GRACEFUL;
    }

    /**
     * The FD_CLOSE error code: 0 when graceful, else WSAECONNRESET, WSAECONNABORTED, WSAETIMEDOUT...
     *
     * @return the FD_CLOSE error code: 0 when graceful, else WSAECONNRESET, WSAECONNABORTED, WSAETIMEDOUT
     */
    public WinsockError winsockError() {
        return switch (kind) {
            case GRACEFUL -> WinsockError.NO_ERROR;
            case RESET -> WinsockError.WSAECONNRESET;
            case REFUSED -> reason.winsockError();
            case UNCONFIRMED -> switch (reason) {
                case TRANSPORT_RESET -> WinsockError.WSAECONNRESET;
                case TIMED_OUT -> WinsockError.WSAETIMEDOUT;
                default -> WinsockError.WSAECONNABORTED;
            };
            case ABORTED -> reason == ReasonCode.TIMED_OUT ? WinsockError.WSAETIMEDOUT : WinsockError.WSAECONNABORTED;
        };
    }
}
