package io.parley;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

/**
 * The callee refused the connection request (CF_REJECT, a full queue, shutting down, ...), with its reason
 * code and reason data. The Winsock error is WSAECONNREFUSED unless the reason maps to a more precise one
 * (WSAEMSGSIZE for data over the callee's limit, WSAEOPNOTSUPP for QoS it cannot honour).
 */
public final class ConnectionRefusedException extends ConnectException implements WinsockCoded {
    private static final long serialVersionUID = 2L;
    private final transient ReasonCode reason;
    /** The callee's reason data. @serial */
    private final byte[] reasonData;

    /**
     * A refusal with the callee's reason code and reason data.
     *
     * @param reason     the callee's reason code
     * @param reasonData the callee's reason data (copied), possibly empty
     */
    public ConnectionRefusedException(ReasonCode reason, byte[] reasonData) {
        super("connection refused (" + reason + ")" + (reasonData.length == 0 ? ""
                : ": " + new String(reasonData, StandardCharsets.UTF_8)));
        this.reason = reason;
        this.reasonData = reasonData.clone();
    }

    /**
     * The callee's reason code.
     *
     * @return the reason code
     */
    public ReasonCode reason() {
        return reason;
    }

    /**
     * The callee's reason data: machine-readable (a redirect, a retry-after) or text, as the two sides agree.
     *
     * @return a copy of the reason data, possibly empty
     */
    public byte[] reasonData() {
        return reasonData.clone();
    }

    /**
     * The callee's reason data read as UTF-8 text; bytes that are not UTF-8 read as U+FFFD.
     *
     * @return the text, possibly empty
     */
    public String reasonText() {
        return new String(reasonData, StandardCharsets.UTF_8);
    }

    /**
     * WSAECONNREFUSED, or the more precise error of the reason.
     *
     * @return the Winsock error
     */
    @Override
    public WinsockError winsockError() {
        return reason.winsockError() == WinsockError.WSAECONNREFUSED || reason.isLocalOnly()
                ? WinsockError.WSAECONNREFUSED : reason.winsockError();
    }
}
