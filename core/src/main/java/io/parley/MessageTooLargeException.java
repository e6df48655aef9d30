package io.parley;

import java.io.IOException;

/**
 * Data exceeds the limit that applies to it; nothing was sent (WSAEMSGSIZE). Data is never truncated.
 */
public final class MessageTooLargeException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public MessageTooLargeException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEMSGSIZE;
    }
}
