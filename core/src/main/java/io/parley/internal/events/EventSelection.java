package io.parley.internal.events;

import io.parley.NetworkEvent;
import io.parley.WinsockError;

import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * A source's side of its event registration: the current {@link Registration}, if any, and the events that
 * calls re-enabled since the last report. Owned by one source and guarded by its lock; with nothing
 * registered, a report costs one field read.
 */
public final class EventSelection {
    private final Lock lock;
    private final EventSource source;
    private Registration current;
    private int reEnabled;

    /**
     * The selection of {@code source}, whose state {@code lock} guards.
     */
    public EventSelection(Lock lock, EventSource source) {
        this.lock = lock;
        this.source = source;
    }

    /** The bit of {@code event} in a set of events. */
    public static int bit(NetworkEvent event) {
        return 1 << event.ordinal();
    }

    /** The bits of {@code events}. */
    public static int bits(Set<NetworkEvent> events) {
        int bits = 0;
        for (NetworkEvent event : events) {
            bits |= bit(event);
        }
        return bits;
    }

    /**
     * As {@link EventSource#select}: makes {@code registration} the current one with {@code interest} (the one
     * it replaces is cancelled) and reports what holds now. Takes the lock.
     */
    public void select(Registration registration, int interest) {
        lock.lock();
        try {
            if (!registration.isValid()) {
                throw new IllegalStateException("the registration was cancelled");
            }
            if (source.isClosed()) {
                throw new IllegalStateException(source + " is closed: closing ended its event selection");
            }
            if (current != null && current != registration) {
                current.superseded();
            }
            current = registration;
            reEnabled = 0;
            registration.restart(interest);
            source.reportLevels();
        } finally {
            lock.unlock();
        }
    }

    /** As {@link EventSource#deselect}: forgets {@code registration} if it is the current one. Takes the lock. */
    public void deselect(Registration registration) {
        lock.lock();
        try {
            if (current == registration) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the current registration, if any, as closing a socket ends its event selection: the source was
     * closed. Lock held.
     */
    public void cancel() {
        if (current != null) {
            current.superseded();
            current = null;
        }
    }

    /** True if the current registration reports {@code event} and it is enabled, or a call re-enabled it. Lock held. */
    public boolean awaits(NetworkEvent event) {
        return current != null && ((reEnabled & bit(event)) != 0 ? current.reports(bit(event)) : current.awaits(bit(event)));
    }

    /** True while something is registered: only then are levels worth computing. */
    public boolean isSelected() {
        return current != null;
    }

    /** Notes that a call re-enabled {@code event} [E3]; the next report may record it again. */
    public void reEnable(NetworkEvent event) {
        if (current != null) {
            reEnabled |= bit(event);
        }
    }

    /**
     * Tells the registration what holds now.
     *
     * @param levels the bits of the events whose condition holds
     * @param error  the error code of CLOSE or CONNECT when their bit is set, else ignored
     */
    public void report(int levels, WinsockError error) {
        report(levels, error, WinsockError.NO_ERROR);
    }

    /**
     * As {@link #report(int, WinsockError)}, with the error code of QOS.
     *
     * @param levels   the bits of the events whose condition holds
     * @param error    the error code of CLOSE or CONNECT when their bit is set, else ignored
     * @param qosError the error code of QOS when its bit is set, else ignored
     */
    public void report(int levels, WinsockError error, WinsockError qosError) {
        if (current != null) {
            int enabled = reEnabled;
            reEnabled = 0;
            current.update(levels, enabled, error, qosError);
        }
    }
}
