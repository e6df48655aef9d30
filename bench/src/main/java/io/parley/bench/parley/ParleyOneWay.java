package io.parley.bench.parley;

import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Messages one way on one connection (small-messages and bulk): the client sends for the given time and then
 * its disconnect with the count as data; the server receives, counts, and checks the count against it.
 */
public final class ParleyOneWay implements Trial {
    private static final ConnectOptions OPTIONS = ConnectOptions.builder().callerData(Payloads.CALLER_DATA).build();

    private final byte[] message;
    private final FailureLatch failures = new FailureLatch();
    private final AtomicReference<CompletableFuture<Long>> finished = new AtomicReference<>();
    private final ParleyServer server;

    /** One-way messages of {@code size} bytes. */
    public ParleyOneWay(int size) throws Exception {
        message = Payloads.pattern(size, 3);
        server = new ParleyServer(ListenOptions.defaults(), this::serve, failures);
    }

    private void serve(ParleyConnection c) throws Exception {
        long received = 0;
        byte[] m;
        while ((m = c.receive()) != null) {
            CountMismatchException.require(m.length == message.length && m[m.length - 1] == message[m.length - 1],
                    "message " + received + " arrived with " + m.length + " bytes");
            received++;
        }
        long arrivedAt = System.nanoTime();
        CountMismatchException.check("messages (sent vs received)", Payloads.countOf(c.receiveDisconnect()), received);
        c.sendDisconnect(Payloads.countBytes(received));
        finished.get().complete(arrivedAt);
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        finished.set(new CompletableFuture<>());
        try (ParleyConnection c = Parley.tcp().connect(server.address(), OPTIONS)) {
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long sent = 0;
            do {
                c.send(message);
                sent++;
            } while (System.nanoTime() - deadline < 0);
            c.sendDisconnect(Payloads.countBytes(sent));
            long end = finished.get().get(60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            Payloads.check("end of the server's messages", null, c.receive());
            CountMismatchException.check("messages (sent vs acknowledged)", sent, Payloads.countOf(c.receiveDisconnect()));
            failures.rethrow("parley one-way");
            return StandardFigures.oneWay(message.length, sent, end - start, allocated, osBefore);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        failures.rethrow("parley one-way server");
    }
}
