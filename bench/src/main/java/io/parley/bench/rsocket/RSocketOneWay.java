package io.parley.bench.rsocket;

import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.util.DefaultPayload;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages one way over RSocket: one request-channel whose inbound stream carries every message (RSocket's
 * way to stream with flow control); the stream completes at the deadline and the server's (empty) answer
 * completes once it has counted them all.
 */
public final class RSocketOneWay implements Trial {
    private final byte[] message;
    private final FailureLatch failures = new FailureLatch();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receivedAt = new AtomicLong();
    private final CloseableChannel server;

    /** One-way messages of {@code size} bytes. */
    public RSocketOneWay(int size) {
        message = Payloads.pattern(size, 3);
        server = RSockets.bind(() -> new RSocket() {
            @Override
            public Flux<Payload> requestChannel(Publisher<Payload> messages) {
                received.set(0);
                return Flux.from(messages)
                        .doOnNext(p -> {
                            try {
                                int length = p.data().readableBytes();
                                CountMismatchException.require(length == message.length,
                                        "a message of " + length + " bytes");
                                received.incrementAndGet();
                            } finally {
                                p.release();
                            }
                        })
                        .doOnComplete(() -> receivedAt.set(System.nanoTime()))
                        .doOnError(failures::fail)
                        .thenMany(Flux.empty());
            }
        }, Duration.ofSeconds(10));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        RSocket rs = RSockets.connect(server.address()).block(Duration.ofSeconds(10));
        try {
            LongAdder sent = new LongAdder();
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            Flux<Payload> messages = Flux.generate(sink -> {
                if (System.nanoTime() - deadline >= 0) {
                    sink.complete();
                } else {
                    sent.increment();
                    sink.next(DefaultPayload.create(message));
                }
            });
            rs.requestChannel(messages).then().block(duration.plusSeconds(60));
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("rsocket one-way");
            CountMismatchException.check("messages (sent vs received)", sent.sum(), received.get());
            return StandardFigures.oneWay(message.length, sent.sum(), receivedAt.get() - start, allocated, osBefore);
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
