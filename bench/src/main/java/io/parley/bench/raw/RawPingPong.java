package io.parley.bench.raw;

import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.net.Socket;
import java.time.Duration;

/** 64-byte request and response on a raw socket, length-prefixed, one at a time; the server echoes. */
public final class RawPingPong implements Trial {
    private final FailureLatch failures = new FailureLatch();
    private final RawServer server;

    /** Starts the echo server. */
    public RawPingPong() throws Exception {
        server = new RawServer(RawPingPong::echo, failures);
    }

    private static void echo(Socket socket) throws Exception {
        RawFraming framing = new RawFraming(socket);
        byte[] m;
        while ((m = framing.read()) != null) {
            framing.write(m);
            framing.flush();
        }
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        Latencies latencies = new Latencies(1 << 20);
        long allocated;
        OsCounters osBefore;
        try (Socket socket = RawServer.connect(server.address())) {
            RawFraming framing = new RawFraming(socket);
            osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long deadline = System.nanoTime() + duration.toNanos();
            long now;
            do {
                long t0 = System.nanoTime();
                framing.write(Payloads.REQUEST);
                framing.flush();
                byte[] answer = framing.read();
                now = System.nanoTime();
                latencies.record(now - t0);
                Payloads.check("echo", Payloads.REQUEST, answer);
            } while (now - deadline < 0);
            allocated = Allocation.totalBytes() - allocatedBefore;
            socket.shutdownOutput();
            Payloads.check("end of the echoes", null, framing.read());
        }
        failures.rethrow("raw ping-pong");
        return StandardFigures.pingPong(latencies, allocated, osBefore);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
