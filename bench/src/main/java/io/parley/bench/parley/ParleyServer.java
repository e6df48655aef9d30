package io.parley.bench.parley;

import io.parley.ClosedException;
import io.parley.AcceptCondition;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Loopback;
import io.parley.bench.harness.Payloads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A Parley server as the README writes one: one thread accepts with a condition, each accepted connection
 * is served on its own virtual thread.
 */
final class ParleyServer implements AutoCloseable {
    /** Accepts callers whose caller data is {@link Payloads#CALLER_DATA}, answering with the callee data. */
    static final AcceptCondition CHECK_CALLER = request -> Arrays.equals(request.callerData(), Payloads.CALLER_DATA)
            ? Decision.accept(Payloads.CALLEE_DATA)
            : Decision.reject("wrong caller data");

    private final Listener listener;
    private final Thread acceptor;

    /** What the server does with one accepted connection (it closes it afterwards). */
    @FunctionalInterface
    interface Handler {
        void serve(ParleyConnection connection) throws Exception;
    }

    ParleyServer(ListenOptions options, Handler handler, FailureLatch failures) throws IOException {
        listener = Parley.tcp().listen(Loopback.anyPort(), options);
        acceptor = Thread.ofVirtual().name("parley-bench-acceptor").start(() -> {
            while (true) {
                ParleyConnection connection;
                try {
                    connection = listener.accept(CHECK_CALLER);
                } catch (ClosedException e) {
                    return;
                } catch (IOException e) {
                    failures.fail(e);
                    continue;
                }
                Thread.ofVirtual().start(() -> {
                    try (connection) {
                        handler.serve(connection);
                    } catch (Throwable t) {
                        failures.fail(t);
                    }
                });
            }
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join();
    }
}
