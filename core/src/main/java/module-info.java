/**
 * Parley: connections with a negotiated start and an acknowledged end.
 */
module io.parley {
    exports io.parley;
    exports io.parley.protocol;
}
