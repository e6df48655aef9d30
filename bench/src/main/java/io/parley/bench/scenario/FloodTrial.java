package io.parley.bench.scenario;

import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.SilentConnections;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The flood: 32 well-behaved clients connect as fast as they can (each request decided by the server's
 * condition, then ended at once) while {@value #SILENT} other connections open the TCP socket and stall,
 * reopened whenever the server's handshake timeout ({@value #HANDSHAKE_TIMEOUT_SECONDS} s) closes them.
 * Figures: accepts per second and the well-behaved clients' connect latency.
 */
public final class FloodTrial implements Trial {
    /** Stalled connections held during the run. */
    public static final int SILENT = 1000;
    /** The handshake timeout every server applies to a connection that has not completed its request. */
    public static final int HANDSHAKE_TIMEOUT_SECONDS = 2;
    private static final int CLIENTS = 32;

    private final HandshakePeer peer;
    private final FailureLatch failures = new FailureLatch();
    private final InetSocketAddress server;

    /** A flood against {@code peer}'s server. */
    public FloodTrial(HandshakePeer peer) throws Exception {
        this.peer = peer;
        this.server = peer.startServer(Duration.ofSeconds(HANDSHAKE_TIMEOUT_SECONDS), failures);
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        try (SilentConnections silent = new SilentConnections(server, SILENT, peer.halfRequest())) {
            silent.awaitHeld(SILENT, 30_000);
            long acceptedBefore = peer.accepted();
            long reopenedBefore = silent.reopened();
            Latencies latencies = new Latencies(64 * 1024);
            LongAdder connected = new LongAdder();
            AtomicInteger fewestHeld = new AtomicInteger(SILENT);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            List<Thread> clients = Threads.start("flood-client", CLIENTS, failures, index -> {
                Latencies mine = new Latencies(8192);
                while (System.nanoTime() - deadline < 0 && !failures.failed()) {
                    long t0 = System.nanoTime();
                    AutoCloseable connection = peer.connect(server);
                    mine.record(System.nanoTime() - t0);
                    connection.close();
                    connected.increment();
                    fewestHeld.accumulateAndGet(silent.held(), Math::min);
                }
                latencies.addAll(mine);
            });
            Threads.joinAll(clients, duration.toSeconds() + 60);
            long elapsed = System.nanoTime() - start;
            failures.rethrow("flood");
            long expected = connected.sum();
            Threads.await(() -> peer.accepted() - acceptedBefore >= expected, 10_000);
            CountMismatchException.check("connections accepted (clients vs server)", expected,
                    peer.accepted() - acceptedBefore);
            return new Figures()
                    .put("accepts/s", expected / (elapsed / 1e9))
                    .put("p50 connect ms", latencies.quantileNanos(0.50) / 1e6)
                    .put("p99 connect ms", latencies.quantileNanos(0.99) / 1e6)
                    .put("silent held (min)", fewestHeld.get())
                    .put("silent reopened", silent.reopened() - reopenedBefore);
        }
    }

    @Override
    public void close() throws Exception {
        peer.close();
        failures.rethrow("flood server");
    }
}
