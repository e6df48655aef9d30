package io.parley.bench.parley;

import io.parley.ConnectOptions;
import io.parley.FlowSpec;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.Qos;
import io.parley.ServiceType;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * How closely Parley's sender follows a granted flow spec: four connections at once, granted 10 kB/s, 1 MB/s,
 * 100 MB/s and 1 GB/s, each sending as fast as its blocking sends let it for the whole round. Per grant it
 * reports the rate achieved after the first tenth of the round (the bucket starts full, so the very start is
 * a burst by design) as a fraction of TokenRate, and the largest burst seen at the sender, as a fraction of
 * TokenBucketSize: the most bytes any window of sends carried beyond what the rate allows for its length.
 */
public final class ParleyQosAccuracy implements Trial {
    /** The figure of the worst grant's rate error, in percent of its TokenRate. */
    public static final String WORST_RATE_ERROR = "worst rate error %";
    /** The figure of the worst grant's largest burst, as a fraction of its TokenBucketSize. */
    public static final String WORST_BURST = "worst burst ÷ bucket";

    /** A granted token rate and bucket, and the size of the messages sent under it. */
    record Grant(String label, long tokenRate, long bucketSize, int messageSize) {
        FlowSpec flowSpec() {
            long unset = FlowSpec.NOT_SPECIFIED;
            return new FlowSpec(tokenRate, bucketSize, unset, unset, unset, ServiceType.CONTROLLED_LOAD, 0, unset, unset);
        }
    }

    /** The grants measured, slowest first. */
    static final List<Grant> GRANTS = List.of(
            new Grant("10 kB/s", 10_000, 10_000, 1_000),
            new Grant("1 MB/s", 1_000_000, 64_000, 16_000),
            new Grant("100 MB/s", 100_000_000, 1_000_000, 64_000),
            new Grant("1 GB/s", 1_000_000_000, 32_000_000, 256_000));

    private final FailureLatch failures = new FailureLatch();
    private final ParleyServer server;

    /** Starts a server that grants every requested QoS and answers each session with the bytes it received. */
    public ParleyQosAccuracy() throws Exception {
        server = new ParleyServer(ListenOptions.defaults(), CheckedAccept.GRANT_REQUESTED_QOS,
                ParleyQosAccuracy::countBytes, failures);
    }

    private static void countBytes(ParleyConnection c) throws Exception {
        ByteBuffer sink = ByteBuffer.allocate(256 * 1024);
        long bytes = 0;
        while (true) {
            sink.clear();
            if (c.receive(sink) == io.parley.MessagePart.DISCONNECTED) {
                break;
            }
            bytes += sink.position();
        }
        c.receiveDisconnect();
        c.sendDisconnect(Long.toString(bytes).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        long[][] results = new long[GRANTS.size()][];
        List<Thread> senders = Threads.start("parley-qos", GRANTS.size(), failures,
                index -> results[index] = send(GRANTS.get(index), duration));
        Threads.joinAll(senders, duration.toSeconds() + 60);
        failures.rethrow("parley qos accuracy");
        Figures figures = new Figures();
        double worstError = 0;
        double worstBurst = 0;
        for (int i = 0; i < GRANTS.size(); i++) {
            Grant grant = GRANTS.get(i);
            long[] r = results[i];
            double rate = r[0] / (r[1] / 1e9) / grant.tokenRate();
            double burst = (double) r[2] / grant.bucketSize();
            figures.put(grant.label() + " rate ÷ TokenRate", rate);
            figures.put(grant.label() + " burst ÷ bucket", burst);
            worstError = Math.max(worstError, Math.abs(rate - 1) * 100);
            worstBurst = Math.max(worstBurst, burst);
        }
        return figures.put(WORST_RATE_ERROR, worstError).put(WORST_BURST, worstBurst);
    }

    /**
     * Sends under {@code grant} for {@code duration}; returns the bytes sent after the first tenth of it, the
     * nanoseconds they took, and the largest burst in bytes.
     */
    private long[] send(Grant grant, Duration duration) throws Exception {
        ConnectOptions options = ConnectOptions.builder().callerData(Payloads.CALLER_DATA)
                .qos(new Qos(grant.flowSpec(), FlowSpec.UNSPECIFIED)).build();
        byte[] message = new byte[grant.messageSize()];
        BurstMeter burst = new BurstMeter(grant.tokenRate());
        long sent = 0;
        long steadyFrom = -1;
        long steadyBytes = 0;
        long steadyAt = 0;
        try (ParleyConnection c = Parley.tcp().connect(server.address(), options)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long steady = start + duration.toNanos() / 10;
            burst.start(start);
            long now = start;
            while (now - end < 0 && !failures.failed()) {
                c.send(message);
                now = System.nanoTime();
                sent += message.length;
                burst.sent(sent, now);
                if (steadyFrom < 0 && now - steady >= 0) {
                    steadyFrom = now;
                    steadyBytes = sent;
                }
            }
            steadyAt = now;
            c.sendDisconnect(new byte[0]);
            while (c.receive() != null) {
                // the server sends nothing before its disconnect
            }
            CountMismatchException.check("bytes at " + grant.label() + " (sender vs receiver)", sent,
                    Long.parseLong(new String(c.receiveDisconnect(), StandardCharsets.US_ASCII)));
        }
        return new long[] {sent - steadyBytes, steadyAt - steadyFrom, burst.largest()};
    }

    /**
     * The largest number of bytes any window between two sends carried beyond the rate: for sends ending at
     * times t_i with c_i bytes sent so far, the maximum over i &lt; j of (c_j − c_i) − rate·(t_j − t_i), with
     * the start (nothing sent) as the first point.
     */
    static final class BurstMeter {
        private final double bytesPerNano;
        private long origin;
        private double lowest;
        private double largest;

        BurstMeter(long tokenRate) {
            this.bytesPerNano = tokenRate / 1e9;
        }

        void start(long now) {
            origin = now;
            lowest = 0;
        }

        void sent(long total, long now) {
            double level = total - bytesPerNano * (now - origin);
            largest = Math.max(largest, level - lowest);
            lowest = Math.min(lowest, level);
        }

        long largest() {
            return (long) largest;
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
