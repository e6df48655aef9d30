package io.parley.internal.events;

import io.parley.NetworkEvent;

import java.util.Set;

/**
 * Something whose network events a {@link Waiter} reports: a connection, a listener, a pending connect. It
 * keeps its one registration in an {@link EventSelection}, which it updates under its own lock whenever
 * what it reports may have changed.
 */
public interface EventSource {

    /**
     * The events this source can report.
     *
     * @return the events this source can report
     */
    Set<NetworkEvent> reportable();

    /**
     * The source's selection, guarded by its lock.
     *
     * @return the source's selection
     */
    EventSelection selection();

    /**
     * True once the source was closed (or, for a connect, cancelled): it takes no registration. The source's
     * lock held.
     *
     * @return whether the source was closed
     */
    boolean isClosed();

    /** Reports what holds now through {@link #selection()}. The source's lock held. */
    void reportLevels();

    /**
     * Makes {@code registration} this source's one registration, reporting {@code interest} (replacing any
     * earlier one, which is cancelled), and records at once what holds now.
     *
     * @param registration the registration
     * @param interest     the events' bits ({@link EventSelection#bits})
     */
    default void select(Registration registration, int interest) {
        selection().select(registration, interest);
    }

    /**
     * Ends {@code registration} if it is this source's current one.
     *
     * @param registration the registration
     */
    default void deselect(Registration registration) {
        selection().deselect(registration);
    }
}
