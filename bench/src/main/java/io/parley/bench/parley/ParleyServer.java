package io.parley.bench.parley;

import io.parley.AcceptCondition;
import io.parley.ClosedException;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Loopback;

import java.io.IOException;

/**
 * A Parley server as the README writes one: one thread accepts with a condition ({@link CheckedAccept}), each
 * accepted connection is served on its own virtual thread.
 */
final class ParleyServer extends ListeningServer {
    private final Thread acceptor;

    /** What the server does with one accepted connection (it closes it afterwards). */
    @FunctionalInterface
    interface Handler {
        /**
         * Serves one connection.
         *
         * @param connection the accepted connection; closed by the server afterwards
         * @throws Exception anything that makes the run fail
         */
        void serve(ParleyConnection connection) throws Exception;
    }

    /**
     * Listens on a free loopback port and accepts on a virtual thread until {@link #close()}.
     *
     * @param options  the listener's options
     * @param handler  serves each accepted connection on its own virtual thread
     * @param failures told of every failure: of the listener, of a handler, and of any outcome of an accept but
     *                 an accept or an abandoned request
     * @throws IOException the listener could not be opened
     */
    ParleyServer(ListenOptions options, Handler handler, FailureLatch failures) throws IOException {
        this(options, CheckedAccept.CHECK_CALLER, handler, failures);
    }

    /**
     * As {@link #ParleyServer(ListenOptions, Handler, FailureLatch)}, deciding requests with {@code condition}
     * (which checks the caller data as {@link CheckedAccept#CHECK_CALLER} does).
     *
     * @throws IOException the listener could not be opened
     */
    ParleyServer(ListenOptions options, AcceptCondition condition, Handler handler, FailureLatch failures)
            throws IOException {
        super(Parley.tcp().listen(Loopback.anyPort(), options));
        acceptor = Thread.ofVirtual().name("parley-bench-acceptor").start(() -> {
            while (true) {
                ParleyConnection connection;
                try {
                    connection = CheckedAccept.next(listener, condition, failures);
                } catch (ClosedException e) {
                    return;
                } catch (IOException e) {
                    failures.fail(e);
                    continue;
                }
                if (connection != null) {
                    serve(connection, handler, failures);
                }
            }
        });
    }

    private static void serve(ParleyConnection connection, Handler handler, FailureLatch failures) {
        Thread.ofVirtual().start(() -> {
            try (connection) {
                handler.serve(connection);
            } catch (Throwable t) {
                failures.fail(t);
            }
        });
    }

    /** Waits for the accepting thread to end (the closed listener ends it); accepted connections live on. */
    @Override
    protected void stopServing() throws InterruptedException {
        acceptor.join();
    }
}
