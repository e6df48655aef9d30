package io.parley.purity;

import java.util.concurrent.locks.ReentrantLock;

/** Does what the protocol core must not, so that the purity check is seen to notice it. */
final class ImpureFixture {
    private final ReentrantLock lock = new ReentrantLock();
    private long last;

    /** Reads the clock under a lock. */
    long stamp() {
        lock.lock();
        try {
            last = System.nanoTime();
            return last;
        } finally {
            lock.unlock();
        }
    }

    /** A synchronized method. */
    synchronized long lastStamp() {
        return last;
    }

    /** A synchronized block that waits. */
    void await() throws InterruptedException {
        synchronized (lock) {
            lock.wait(1);
        }
    }
}
