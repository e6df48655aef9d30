package io.parley.internal.driver;

import io.parley.CloseIndication;

import java.util.concurrent.CompletableFuture;

/**
 * The owner of a connection's two futures, {@link io.parley.ParleyConnection#closeIndication()} and
 * {@link io.parley.ParleyConnection#termination()}. The driver's parts decide their values under the
 * connection's lock ({@link #indicate}, {@link #terminate}: the first decision wins); the futures are completed
 * in one place, {@link #publish}, which {@link ConnectionState#unlock()} runs once the lock is free, so no user
 * callback runs under it and a thread that saw the end under the lock has completed them before it reports the
 * end.
 */
final class ConnectionOutcome {
    private final CompletableFuture<CloseIndication> closeIndication = new CompletableFuture<>();
    private final CompletableFuture<CloseIndication> termination = new CompletableFuture<>();
    /** The close indication's value once decided. Lock held. */
    private CloseIndication indicated;
    /** The termination's value once decided. Lock held. */
    private CloseIndication terminated;

    /** Decides the close indication, unless it was decided already. Lock held. */
    void indicate(CloseIndication indication) {
        if (indicated == null) {
            indicated = indication;
        }
    }

    /** Decides the termination, and the close indication unless it was decided already. Lock held. */
    void terminate(CloseIndication outcome) {
        indicate(outcome);
        if (terminated == null) {
            terminated = outcome;
        }
    }

    /** The close indication decided, or null while none is. Lock held. */
    CloseIndication indicated() {
        return indicated;
    }

    /** What {@link #publish} must complete, read under the lock; null when it has nothing to do. Lock held. */
    Decided decided() {
        if (indicated == null || termination.isDone() || terminated == null && closeIndication.isDone()) {
            return null;
        }
        return new Decided(indicated, terminated);
    }

    /** Completes the futures with what was decided, with no lock held. */
    void publish(Decided decided) {
        closeIndication.complete(decided.indicated);
        if (decided.terminated != null) {
            termination.complete(decided.terminated);
        }
    }

    /** A copy of the close indication, for the application. */
    CompletableFuture<CloseIndication> closeIndication() {
        return closeIndication.copy();
    }

    /** A copy of the termination, for the application. */
    CompletableFuture<CloseIndication> termination() {
        return termination.copy();
    }

    /** The values decided, carried from under the lock to after it. */
    record Decided(CloseIndication indicated, CloseIndication terminated) {
    }
}
