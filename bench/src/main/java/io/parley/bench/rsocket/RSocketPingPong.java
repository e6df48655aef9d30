package io.parley.bench.rsocket;

import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.util.DefaultPayload;
import reactor.core.publisher.Mono;

import java.time.Duration;

/** 64-byte request-response over RSocket, one at a time (each next request is chained on the answer). */
public final class RSocketPingPong implements Trial {
    private final FailureLatch failures = new FailureLatch();
    private final CloseableChannel server;

    /** Starts the echo server. */
    public RSocketPingPong() {
        server = RSockets.bind(() -> new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                return Mono.just(payload);
            }
        }, Duration.ofSeconds(10));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        RSocket rs = RSockets.connect(server.address()).block(Duration.ofSeconds(10));
        try {
            Latencies latencies = new Latencies(1 << 20);
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long deadline = System.nanoTime() + duration.toNanos();
            long[] sentAt = new long[1];
            Mono.defer(() -> {
                sentAt[0] = System.nanoTime();
                return rs.requestResponse(DefaultPayload.create(Payloads.REQUEST));
            }).doOnNext(answer -> {
                latencies.record(System.nanoTime() - sentAt[0]);
                Payloads.check("echo", Payloads.REQUEST, RSockets.take(answer));
            }).repeat(() -> System.nanoTime() - deadline < 0).then().block(duration.plusSeconds(60));
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("rsocket ping-pong");
            return StandardFigures.pingPong(latencies, allocated, osBefore);
        } finally {
            rs.dispose();
            rs.onClose().block(Duration.ofSeconds(10));
        }
    }

    @Override
    public void close() {
        server.dispose();
        server.onClose().block(Duration.ofSeconds(10));
    }
}
