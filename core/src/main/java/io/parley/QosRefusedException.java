package io.parley;

import java.io.IOException;
import java.util.Objects;

/**
 * The peer refused a QoS request ({@link ParleyConnection#requestQos}); the connection's QoS is as it was.
 */
public final class QosRefusedException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;
    /** The reason the peer gave. */
    private final ReasonCode reason;

    /**
     * A refusal with the peer's reason.
     *
     * @param reason the reason the peer gave (REFUSED, QOS_NOT_SUPPORTED, QOS_COLLISION, ...)
     */
    public QosRefusedException(ReasonCode reason) {
        super("the peer refused the QoS request: " + reason);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The peer's reason.
     *
     * @return the reason the peer gave
     */
    public ReasonCode reason() {
        return reason;
    }

    /** The reason's error: WSAEOPNOTSUPP for QOS_NOT_SUPPORTED, WSAEALREADY for QOS_COLLISION, ... */
    @Override
    public WinsockError winsockError() {
        return reason.winsockError();
    }
}
