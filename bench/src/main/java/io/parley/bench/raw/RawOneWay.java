package io.parley.bench.raw;

import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Messages one way on a raw socket through a 64 KiB buffered stream; the end is an 8-byte message holding
 * the count (no message of the scenario is 8 bytes long), followed by shutdownOutput.
 */
public final class RawOneWay implements Trial {
    private final byte[] message;
    private final FailureLatch failures = new FailureLatch();
    private final AtomicReference<CompletableFuture<Long>> finished = new AtomicReference<>();
    private final RawServer server;

    /** One-way messages of {@code size} bytes. */
    public RawOneWay(int size) throws Exception {
        message = Payloads.pattern(size, 3);
        server = new RawServer(this::serve, failures);
    }

    private void serve(Socket socket) throws Exception {
        RawFraming framing = new RawFraming(socket);
        long received = 0;
        byte[] m;
        while ((m = framing.read()).length != 8) {
            CountMismatchException.require(m.length == message.length && m[m.length - 1] == message[m.length - 1],
                    "message " + received + " arrived with " + m.length + " bytes");
            received++;
        }
        long arrivedAt = System.nanoTime();
        CountMismatchException.check("messages (sent vs received)", Payloads.countOf(m), received);
        CountMismatchException.require(framing.read() == null, "bytes after the end");
        socket.shutdownOutput();
        finished.get().complete(arrivedAt);
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        finished.set(new CompletableFuture<>());
        try (Socket socket = RawServer.connect(server.address())) {
            RawFraming framing = new RawFraming(socket);
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long sent = 0;
            do {
                framing.write(message);
                sent++;
            } while (System.nanoTime() - deadline < 0);
            framing.write(Payloads.countBytes(sent));
            framing.flush();
            socket.shutdownOutput();
            long end = finished.get().get(60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            CountMismatchException.require(socket.getInputStream().read() < 0, "bytes from the server");
            failures.rethrow("raw one-way");
            return StandardFigures.oneWay(message.length, sent, end - start, allocated, osBefore);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        failures.rethrow("raw one-way server");
    }
}
