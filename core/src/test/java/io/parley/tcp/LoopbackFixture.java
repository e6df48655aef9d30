package io.parley.tcp;

import io.parley.ConnectOptions;
import io.parley.Connection;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A listener on 127.0.0.1 and helpers to connect to it and run work on virtual threads; closes all. */
final class LoopbackFixture implements AutoCloseable {
    final Listener listener;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    LoopbackFixture(ListenOptions options) throws IOException {
        listener = Parley.tcp().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
        resources.add(listener);
    }

    LoopbackFixture() throws IOException {
        this(ListenOptions.defaults());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    Connection connect(ConnectOptions options) throws IOException {
        Connection connection = Parley.tcp().connect(address(), options);
        resources.add(connection);
        return connection;
    }

    Connection connect() throws IOException {
        return connect(ConnectOptions.defaults());
    }

    /** Runs {@code work} on a virtual thread. */
    <T> Future<T> async(Callable<T> work) {
        return threads.submit(work);
    }

    /** Connects on a virtual thread (the caller blocks until the listener decides). */
    CompletableFuture<Connection> connectAsync(ConnectOptions options) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        threads.submit(() -> {
            try {
                result.complete(connect(options));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Registers a connection accepted by the test so it is closed at the end. */
    Connection track(Connection connection) {
        resources.add(connection);
        return connection;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        threads.shutdownNow();
    }
}
