package io.parley.bench.raw;

import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor of the lifecycle: connect, a 64-byte request and response, shutdownOutput, read the end of
 * stream, close. No connect data and no disconnect data: raw TCP has neither.
 */
public final class RawLifecycle implements Trial {
    private static final int CLIENTS = 32;

    private final FailureLatch failures = new FailureLatch();
    private final LongAdder served = new LongAdder();
    private final RawServer server;

    /** Starts the server. */
    public RawLifecycle() throws Exception {
        server = new RawServer(this::serve, failures);
    }

    private void serve(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        Payloads.check("request", Payloads.REQUEST, in.readNBytes(Payloads.REQUEST.length));
        socket.getOutputStream().write(Payloads.RESPONSE);
        CountMismatchException.require(in.read() < 0, "bytes after the request");
        socket.shutdownOutput();
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
        List<Thread> clients = Threads.start("raw-lifecycle", CLIENTS, failures, index -> {
            while (System.nanoTime() - deadline < 0 && !failures.failed()) {
                try (Socket socket = RawServer.connect(server.address())) {
                    socket.getOutputStream().write(Payloads.REQUEST);
                    InputStream in = socket.getInputStream();
                    Payloads.check("response", Payloads.RESPONSE, in.readNBytes(Payloads.RESPONSE.length));
                    socket.shutdownOutput();
                    CountMismatchException.require(in.read() < 0, "bytes after the response");
                }
                completed.increment();
            }
        });
        Threads.joinAll(clients, duration.toSeconds() + 60);
        long elapsed = System.nanoTime() - start;
        failures.rethrow("raw lifecycle");
        Threads.await(() -> served.sum() - servedBefore >= completed.sum(), 10_000);
        CountMismatchException.check("lifecycles (clients vs server)", completed.sum(), served.sum() - servedBefore);
        return StandardFigures.lifecycle(completed.sum(), elapsed, osBefore);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
