package io.parley.bench.harness;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the first failure of any thread of a run (client loop, server handler, event loop) so the run can
 * rethrow it instead of printing a number. Later failures are attached as suppressed.
 */
public final class FailureLatch {
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    /** Records a failure. */
    public void fail(Throwable failure) {
        if (!first.compareAndSet(null, failure) && first.get() != failure) {
            Throwable head = first.get();
            synchronized (head) {
                if (head.getSuppressed().length < 5) {
                    head.addSuppressed(failure);
                }
            }
        }
    }

    /** True once anything failed. */
    public boolean failed() {
        return first.get() != null;
    }

    /** Throws the first failure (wrapped so the stack shows the run), if any. */
    public void rethrow(String what) {
        Throwable failure = first.get();
        if (failure != null) {
            throw new IllegalStateException(what + " failed: " + failure, failure);
        }
    }

    /** Forgets earlier failures (between rounds). */
    public void reset() {
        first.set(null);
    }
}
