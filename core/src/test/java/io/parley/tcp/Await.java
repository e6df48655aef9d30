package io.parley.tcp;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waiting for tests: polling with a deadline and futures with a timeout; never a bare sleep. */
final class Await {
    /** The bound for anything that should happen promptly on loopback. */
    static final Duration BOUND = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /** Polls {@code condition} until it holds, failing after {@code bound}. */
    static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** As {@link #until(String, Duration, BooleanSupplier)} with {@link #BOUND}. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, BOUND, condition);
    }

    /**
     * Polls until {@code counter} has not moved for {@code quiet} (a sender that stopped making progress);
     * returns its value then. Fails if it keeps moving for {@link #BOUND}.
     */
    static int untilStable(java.util.concurrent.atomic.AtomicInteger counter, Duration quiet)
            throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        int last = counter.get();
        long since = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            int now = counter.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return now;
            }
        }
        throw new AssertionError("still moving after " + BOUND.toMillis() + " ms: " + counter.get());
    }

    /** The future's value, failing after {@link #BOUND}; an exceptional completion is rethrown as is. */
    static <T> T result(Future<T> future) throws Exception {
        return result(future, BOUND);
    }

    /** The future's value, failing after {@code bound}; an exceptional completion is rethrown as is. */
    static <T> T result(Future<T> future, Duration bound) throws Exception {
        try {
            return future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + bound.toMillis() + " ms", e);
        }
    }

    /** The exception the future completed with, failing if it completed normally or not in time. */
    static Throwable failure(Future<?> future) throws InterruptedException {
        try {
            Object value = future.get(BOUND.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + BOUND.toMillis() + " ms", e);
        }
    }
}
