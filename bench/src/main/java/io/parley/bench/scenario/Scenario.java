package io.parley.bench.scenario;

import io.parley.bench.harness.Impl;
import io.parley.bench.parley.ParleyQosAccuracy;
import io.parley.bench.harness.RoundRunner.RunSettings;
import io.parley.bench.harness.Trial;

import java.time.Duration;

/**
 * The scenarios of the benchmark, each with its default warm-up, run length and rounds (sized so the whole
 * run stays under 10 minutes on 2 cores). {@code -Dbench.rounds}, {@code -Dbench.seconds} and
 * {@code -Dbench.warmup} override them for every scenario.
 */
public enum Scenario {
    /** 32 clients loop: connect with data, one request and response, disconnect data both ways, close. */
    LIFECYCLE("lifecycle", 4, 2, 5),
    /** One connection, 64-byte messages one way. */
    SMALL_MESSAGES("small-messages", 2, 2, 4),
    /** One connection, 1 MiB messages one way. */
    BULK("bulk", 2, 2, 5),
    /** One connection, 64-byte request and response. */
    PING_PONG("ping-pong", 2, 2, 4),
    /** 10,000 established idle connections (each run in a fresh server JVM; no warm-up). */
    IDLE("idle", 0, 0, 3),
    /** 32 clients connect as fast as they can while 1,000 stalled connections are held. */
    FLOOD("flood", 2, 3, 4),
    /** Parley alone: four connections granted 10 kB/s to 1 GB/s send as fast as their QoS lets them, 10 s each round. */
    QOS("qos", 5, 10, 2);

    /** Bytes of a small message. */
    public static final int SMALL = 64;
    /** Bytes of a bulk message. */
    public static final int LARGE = 1 << 20;

    private final String id;
    private final int warmupSeconds;
    private final int measureSeconds;
    private final int rounds;

    Scenario(String id, int warmupSeconds, int measureSeconds, int rounds) {
        this.id = id;
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
        this.rounds = rounds;
    }

    /** The name on the command line and in the report. */
    public String id() {
        return id;
    }

    /** The scenario named {@code id}. */
    public static Scenario ofId(String id) {
        for (Scenario scenario : values()) {
            if (scenario.id.equals(id)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + id);
    }

    /** Warm-up, run length and rounds, with the system-property overrides applied. */
    public RunSettings settings() {
        int warmup = Integer.getInteger("bench.warmup", warmupSeconds);
        int measure = Integer.getInteger("bench.seconds", measureSeconds);
        return new RunSettings(Duration.ofSeconds(warmupSeconds == 0 ? 0 : warmup),
                Duration.ofSeconds(measureSeconds == 0 ? 0 : measure), Integer.getInteger("bench.rounds", rounds));
    }

    /** Sets up {@code impl} for this scenario. */
    public Trial open(Impl impl) throws Exception {
        return switch (this) {
            case LIFECYCLE -> Peers.lifecycle(impl);
            case SMALL_MESSAGES -> Peers.oneWay(impl, SMALL);
            case BULK -> Peers.oneWay(impl, LARGE);
            case PING_PONG -> Peers.pingPong(impl);
            case IDLE -> new IdleTrial(impl, () -> Peers.handshake(impl));
            case FLOOD -> new FloodTrial(Peers.handshake(impl));
            case QOS -> new ParleyQosAccuracy();
        };
    }

    /**
     * True if {@code impl} takes part: every scenario but {@link #QOS} is for every implementation that does not
     * restrict itself ({@link Impl#takesPart}); QoS is Parley's alone (the others negotiate none).
     */
    public boolean takesPart(Impl impl) {
        return this == QOS ? impl == Impl.PARLEY : impl.takesPart(id);
    }
}
