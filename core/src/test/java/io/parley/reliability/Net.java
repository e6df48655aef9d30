package io.parley.reliability;

import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Loopback helpers for the reliability tests: 127.0.0.1 only, every wait bounded. */
final class Net {
    /** The bound for anything that should happen promptly on loopback, even on a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(15);

    private Net() {
    }

    static Listener listen(ListenOptions options) throws IOException {
        return Parley.tcp().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
    }

    static InetSocketAddress address(Listener listener) {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * The connection of an accept's result.
     *
     * @throws AssertionError if the request was not accepted
     */
    static ParleyConnection accepted(AcceptResult result) {
        if (result instanceof AcceptResult.Accepted accepted) {
            return accepted.connection();
        }
        throw new AssertionError("expected the request to be accepted, but: " + result);
    }

    static ParleyConnection connect(Listener listener, ConnectOptions options) throws IOException {
        return Parley.tcp().connect(address(listener), options);
    }

    interface Work<T> {
        T call() throws Exception;
    }

    /** Runs {@code work} on a new virtual thread. */
    static <T> CompletableFuture<T> async(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("reliability-test").start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** The future's value within {@code bound}; its failure rethrown as is. */
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

    static <T> T result(Future<T> future) throws Exception {
        return result(future, BOUND);
    }

    /** The exception the future failed with within {@link #BOUND}; an error if it succeeded. */
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

    /**
     * Polls a counter the JDK offers no event for (open descriptors, live threads) until {@code condition}
     * holds, failing after {@code bound}. The short pauses are between polls of a count, not a guess at how
     * long something takes.
     */
    static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
