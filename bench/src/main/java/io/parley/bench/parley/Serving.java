package io.parley.bench.parley;

/**
 * How a Parley server of the benchmark serves the connections it accepted: the one thing in which Parley
 * ({@code Impl.PARLEY}) and Parley events ({@code Impl.PARLEY_EVENTS}) differ.
 */
public enum Serving {
    /** Each connection on its own virtual thread, with blocking calls ({@link ParleyServer}). */
    THREAD_PER_CONNECTION,
    /** Every connection from one platform thread through an {@code EventWaiter} ({@link EventServer}). */
    ONE_EVENT_THREAD
}
