package io.parley;

import java.net.ProtocolException;

/**
 * The peer does not speak Parley, or shares no protocol version with this side (WSAEPROTONOSUPPORT).
 */
public final class UnsupportedProtocolException extends ProtocolException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public UnsupportedProtocolException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEPROTONOSUPPORT;
    }
}
