package io.parley;

/** Implemented by every Parley exception and {@link AcceptResult}: the Winsock error it corresponds to. */
public interface WinsockCoded {
    /**
     * The Winsock error that this outcome corresponds to.
     *
     * @return the error, {@link WinsockError#NO_ERROR} for a success
     */
    WinsockError winsockError();
}
