package io.parley.bench.harness;

/** The two sides of a run counted differently: the run is invalid and prints no figure. */
public final class CountMismatchException extends IllegalStateException {

    /** A mismatch described by {@code message}. */
    public CountMismatchException(String message) {
        super(message);
    }

    /** Throws unless {@code sent} and {@code received} agree. */
    public static void check(String what, long sent, long received) {
        if (sent != received) {
            throw new CountMismatchException(what + ": one side counted " + sent + ", the other " + received);
        }
    }

    /** Throws unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new CountMismatchException(message);
        }
    }
}
