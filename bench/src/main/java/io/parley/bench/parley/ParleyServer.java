package io.parley.bench.parley;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ClosedException;
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
     * @param failures told of every failure: of the listener, of a handler, and of any outcome but an accept
     *                 (every caller of a run sends the expected caller data, so a refusal is a bug)
     * @throws IOException the listener could not be opened
     */
    ParleyServer(ListenOptions options, Handler handler, FailureLatch failures) throws IOException {
        listener = Parley.tcp().listen(Loopback.anyPort(), options);
        acceptor = Thread.ofVirtual().name("parley-bench-acceptor").start(() -> {
            while (true) {
                AcceptResult result;
                try {
                    result = listener.accept(CHECK_CALLER);
                } catch (ClosedException e) {
                    return;
                } catch (IOException e) {
                    failures.fail(e);
                    continue;
                }
                switch (result) {
                    case AcceptResult.Accepted accepted -> serve(accepted.connection(), handler, failures);
                    // A caller gave up while its request waited (a stalled or timed-out client): its own
                    // side of the run reports that; the server has nothing to serve.
                    case AcceptResult.Abandoned abandoned -> { }
                    case AcceptResult.Rejected rejected -> failures.fail(new IllegalStateException(
                            "request from " + rejected.request().callerId() + " refused: " + rejected.refusal()));
                    case AcceptResult.Deferred deferred -> failures.fail(new IllegalStateException("request from "
                            + deferred.request().callerId() + " deferred, though the condition never defers"));
                    case AcceptResult.AnswerTooLarge tooLarge -> failures.fail(new IllegalStateException(
                            "answer to " + tooLarge.request().callerId() + " over the caller's limits: "
                                    + tooLarge.answer()));
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

    /**
     * The address the server listens on.
     *
     * @return the loopback address with the port picked
     */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening and waits for the accepting thread to end; accepted connections live on. */
    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join();
    }
}
