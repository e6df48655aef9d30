package io.parley.bench.parley;

import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.time.Duration;

/** 64-byte request and response on one Parley connection, one at a time; the server echoes. */
public final class ParleyPingPong implements Trial {
    private static final ConnectOptions OPTIONS = ConnectOptions.builder().callerData(Payloads.CALLER_DATA).build();

    private final FailureLatch failures = new FailureLatch();
    private final ParleyServer server;

    /** Starts the echo server. */
    public ParleyPingPong() throws Exception {
        server = new ParleyServer(ListenOptions.defaults(), ParleyPingPong::echo, failures);
    }

    private static void echo(ParleyConnection c) throws Exception {
        byte[] m;
        while ((m = c.receive()) != null) {
            c.send(m);
        }
        c.sendDisconnect(c.receiveDisconnect());
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        Latencies latencies = new Latencies(1 << 20);
        long allocated;
        OsCounters osBefore;
        try (ParleyConnection c = Parley.tcp().connect(server.address(), OPTIONS)) {
            osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long deadline = System.nanoTime() + duration.toNanos();
            long now;
            do {
                long t0 = System.nanoTime();
                c.send(Payloads.REQUEST);
                byte[] answer = c.receive();
                now = System.nanoTime();
                latencies.record(now - t0);
                Payloads.check("echo", Payloads.REQUEST, answer);
            } while (now - deadline < 0);
            allocated = Allocation.totalBytes() - allocatedBefore;
            c.sendDisconnect(Payloads.CLIENT_BYE);
            Payloads.check("end of the echoes", null, c.receive());
            Payloads.check("echoed disconnect data", Payloads.CLIENT_BYE, c.receiveDisconnect());
        }
        failures.rethrow("parley ping-pong");
        return StandardFigures.pingPong(latencies, allocated, osBefore);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
