package io.parley.bench.parley;

import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The whole Parley lifecycle: connect with caller data, accepted with callee data, one request and response,
 * disconnect data both ways, close. The same clients against either kind of server ({@link Serving}): a
 * virtual thread per connection running {@link #serve}, or one event thread doing the same steps event by
 * event ({@link LifecycleSession}).
 */
public final class ParleyLifecycle implements Trial {
    private static final int CLIENTS = 32;
    /** The request travels with the connection request: one round trip less (ConnectOptions.firstMessage). */
    private static final ConnectOptions OPTIONS = ConnectOptions.builder().callerData(Payloads.CALLER_DATA)
            .firstMessage(Payloads.REQUEST).build();

    private final FailureLatch failures = new FailureLatch();
    private final LongAdder served = new LongAdder();
    private final ListeningServer server;

    /**
     * Starts the server.
     *
     * @param serving how the server serves its connections
     * @throws IOException the server could not listen
     */
    public ParleyLifecycle(Serving serving) throws IOException {
        ListenOptions options = ListenOptions.builder().backlog(1024).build();
        server = switch (serving) {
            case THREAD_PER_CONNECTION -> new ParleyServer(options, this::serve, failures);
            case ONE_EVENT_THREAD -> new EventServer(options, connection -> new LifecycleSession(served), failures);
        };
    }

    /** The server's side of one lifecycle, on the connection's own virtual thread; the server closes it after. */
    private void serve(ParleyConnection c) throws Exception {
        Payloads.check("request", Payloads.REQUEST, c.receive());
        c.send(Payloads.RESPONSE);
        Payloads.check("end of the client's messages", null, c.receive());
        Payloads.check("client disconnect data", Payloads.CLIENT_BYE, c.receiveDisconnect());
        c.sendDisconnect(Payloads.SERVER_BYE);
        served.increment();
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        long servedBefore = served.sum();
        LongAdder completed = new LongAdder();
        OsCounters osBefore = OsCounters.now();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Thread> clients = Threads.start("parley-lifecycle", CLIENTS, failures, index -> {
            while (System.nanoTime() - deadline < 0 && !failures.failed()) {
                try (ParleyConnection c = Parley.tcp().connect(server.address(), OPTIONS)) {
                    Payloads.check("callee data", Payloads.CALLEE_DATA, c.calleeData());
                    Payloads.check("response", Payloads.RESPONSE, c.receive());
                    c.sendDisconnect(Payloads.CLIENT_BYE);
                    Payloads.check("end of the server's messages", null, c.receive());
                    Payloads.check("server disconnect data", Payloads.SERVER_BYE, c.receiveDisconnect());
                }
                completed.increment();
            }
        });
        Threads.joinAll(clients, duration.toSeconds() + 60);
        long elapsed = System.nanoTime() - start;
        failures.rethrow("parley lifecycle");
        Threads.await(() -> served.sum() - servedBefore >= completed.sum(), 10_000);
        CountMismatchException.check("lifecycles (clients vs server)", completed.sum(), served.sum() - servedBefore);
        return StandardFigures.lifecycle(completed.sum(), elapsed, osBefore);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
