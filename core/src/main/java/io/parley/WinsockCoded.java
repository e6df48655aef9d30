package io.parley;

/** Implemented by every Parley exception: the Winsock error it corresponds to. */
public interface WinsockCoded {
    /** The Winsock error that this outcome corresponds to. */
    WinsockError winsockError();
}
