package io.parley.tcp;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A listener on 127.0.0.1 and helpers to connect to it and run work on virtual threads; closes all. */
final class LoopbackFixture implements AutoCloseable {
    /** 127.0.0.1 (never the IPv6 loopback, never another interface). */
    static final InetAddress LOOPBACK = loopback();

    final Listener listener;
    private final ConcurrentLinkedDeque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    LoopbackFixture(ListenOptions options) throws IOException {
        listener = Parley.tcp().listen(new InetSocketAddress(LOOPBACK, 0), options);
        resources.add(listener);
    }

    LoopbackFixture() throws IOException {
        this(ListenOptions.defaults());
    }

    /** The connected pair of one connect and its accept. */
    record Pair(ParleyConnection client, ParleyConnection server) {
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    ParleyConnection connect(ConnectOptions options) throws IOException {
        return track(Parley.tcp().connect(address(), options));
    }

    ParleyConnection connect() throws IOException {
        return connect(ConnectOptions.defaults());
    }

    /** Runs {@code work} on a virtual thread. */
    <T> CompletableFuture<T> async(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.submit(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Connects on a virtual thread (the caller blocks until the listener decides). */
    CompletableFuture<ParleyConnection> connectAsync(ConnectOptions options) {
        return async(() -> connect(options));
    }

    /** Connects with {@code options} and accepts with {@code condition}. */
    Pair pair(ConnectOptions options, AcceptCondition condition) throws Exception {
        CompletableFuture<ParleyConnection> client = connectAsync(options);
        ParleyConnection server = track(listener.accept(condition, Await.BOUND));
        return new Pair(Await.result(client), server);
    }

    /** A default connect, accepted unconditionally. */
    Pair pair() throws Exception {
        return pair(ConnectOptions.defaults(), AcceptCondition.acceptAll());
    }

    /** Registers a resource made by the test so it is closed at the end. */
    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * The connection of an accept's result, tracked to be closed at the end.
     *
     * @throws AssertionError if the request was not accepted
     */
    ParleyConnection track(AcceptResult result) {
        return track(accepted(result));
    }

    /**
     * The connection of an accept's result, not tracked (for tests that watch connections become unreachable).
     *
     * @throws AssertionError if the request was not accepted
     */
    static ParleyConnection accepted(AcceptResult result) {
        if (!(result instanceof AcceptResult.Accepted accepted)) {
            throw new AssertionError("expected the request to be accepted, but: " + result);
        }
        return accepted.connection();
    }

    /** Closes every tracked resource, newest first, and stops the helper threads; reports the first failure. */
    @Override
    public void close() throws IOException {
        List<Exception> failures = new ArrayList<>();
        AutoCloseable resource;
        while ((resource = resources.pollLast()) != null) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        threads.shutdownNow();
        if (!failures.isEmpty()) {
            IOException first = failures.getFirst() instanceof IOException io
                    ? io : new IOException("closing a test resource failed", failures.getFirst());
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
