package io.parley.cli;

import io.parley.ParleyConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The server's connections in progress, with waits for a free slot and for all of them to end. */
final class ActiveSessions {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<ParleyConnection> active = new HashSet<>();
    private boolean stopping;

    /** How many are in progress. */
    int count() {
        lock.lock();
        try {
            return active.size();
        } finally {
            lock.unlock();
        }
    }

    /** A connection's session starts. */
    void begin(ParleyConnection connection) {
        lock.lock();
        try {
            active.add(connection);
        } finally {
            lock.unlock();
        }
    }

    /** A connection's session ended. */
    void end(ParleyConnection connection) {
        lock.lock();
        try {
            active.remove(connection);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until fewer than {@code limit} are in progress, or {@link #stopWaiting()} was called. */
    void awaitFewerThan(int limit) throws InterruptedException {
        lock.lock();
        try {
            while (active.size() >= limit && !stopping) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #awaitFewerThan} for good: the server stops accepting. */
    void stopWaiting() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until none is in progress or {@code bound} passed; true if none is. */
    boolean awaitNone(Duration bound) throws InterruptedException {
        long left = bound.toNanos();
        lock.lock();
        try {
            while (!active.isEmpty() && left > 0) {
                left = changed.awaitNanos(left);
            }
            return active.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The connections in progress now. */
    List<ParleyConnection> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(active);
        } finally {
            lock.unlock();
        }
    }
}
