package io.parley.internal.events;

import io.parley.ClosedException;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.Listener;
import io.parley.NetworkEvent;
import io.parley.ParleyConnection;
import io.parley.PendingConnect;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link EventWaiter}: the registrations' ready set under one lock, which is always the last one taken
 * (sources and registrations call in holding theirs), so waiting never holds up a source for longer than
 * adding to a set.
 */
public final class Waiter implements EventWaiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyChanged = lock.newCondition();
    /** Keys with recorded events, in the order they became ready. Lock held. */
    private final LinkedHashSet<Registration> ready = new LinkedHashSet<>();
    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
    private boolean wakeUp;
    private volatile boolean closed;

    @Override
    public EventKey register(ParleyConnection connection, Set<NetworkEvent> events, Object attachment)
            throws ClosedException {
        return register(reporting(connection), events, attachment);
    }

    @Override
    public EventKey register(Listener listener, Object attachment) throws ClosedException {
        return register(reporting(listener), Set.of(NetworkEvent.ACCEPT), attachment);
    }

    @Override
    public EventKey register(PendingConnect connect, Object attachment) throws ClosedException {
        return register(reporting(connect), Set.of(NetworkEvent.CONNECT), attachment);
    }

    private static EventSource reporting(Object source) {
        if (source instanceof EventSource reporting) {
            return reporting;
        }
        throw new IllegalArgumentException(source + " is not from a Parley transport; it has no events to report");
    }

    /**
     * Registers {@code source} (a connection, listener or pending connect of this module) for {@code events}.
     *
     * @throws IllegalArgumentException an event the source cannot report
     * @throws ClosedException          the waiter, or the source, was closed
     */
    public EventKey register(EventSource source, Set<NetworkEvent> events, Object attachment) throws ClosedException {
        int bits = Registration.checkedBits(source, events);
        requireOpen();
        Registration registration = new Registration(this, source, attachment);
        registrations.add(registration);
        try {
            source.select(registration, bits);
        } catch (IllegalStateException closed) {
            registration.cancel();
            throw new ClosedException(closed.getMessage());
        }
        if (closed) {
            registration.cancel(); // close() ran meanwhile and did not see this one
            throw new ClosedException("the event waiter is closed");
        }
        return registration;
    }

    @Override
    public List<EventKey> await() throws IOException {
        return await(Duration.ZERO);
    }

    @Override
    public List<EventKey> await(Duration timeout) throws IOException {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (ready.isEmpty() && !wakeUp) {
                requireOpen();
                if (deadline == Long.MAX_VALUE) {
                    readyChanged.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return List.of();
                    }
                    readyChanged.awaitNanos(left);
                }
            }
            requireOpen();
            wakeUp = false;
            return new ArrayList<>(ready);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for network events");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<EventKey> poll() throws ClosedException {
        lock.lock();
        try {
            requireOpen();
            return new ArrayList<>(ready);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        lock.lock();
        try {
            wakeUp = true;
            readyChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readyChanged.signalAll();
        } finally {
            lock.unlock();
        }
        for (Registration registration : registrations) {
            registration.cancel();
        }
    }

    private void requireOpen() throws ClosedException {
        if (closed) {
            throw new ClosedException("the event waiter is closed");
        }
    }

    /** A registration recorded events. Its lock (and its source's) held. */
    void ready(Registration registration) {
        lock.lock();
        try {
            if (ready.add(registration)) {
                readyChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A registration's events were taken or cleared. Its lock held. */
    void notReady(Registration registration) {
        lock.lock();
        try {
            ready.remove(registration);
        } finally {
            lock.unlock();
        }
    }

    /** A registration ended. */
    void forget(Registration registration) {
        registrations.remove(registration);
    }

    /** The number of registrations in force (for tests and diagnostics). */
    public int registrationCount() {
        return registrations.size();
    }
}
