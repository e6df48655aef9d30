package io.parley.bench.rsocket;

import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.util.DefaultPayload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * RSocket's nearest equivalent of the lifecycle, reactive on both sides: SETUP with the 16 bytes of caller
 * data (checked by the acceptor); SETUP has no answer, so the callee data rides on the first response (16 +
 * 64 bytes) to the 64-byte request; the disconnect data is a second request-response of 8 bytes each way;
 * then the client disposes the connection and waits for it to close.
 */
public final class RSocketLifecycle implements Trial {
    private static final int CLIENTS = 32;
    private static final byte[] FIRST_ANSWER = RSockets.join(Payloads.CALLEE_DATA, Payloads.RESPONSE);

    private final FailureLatch failures = new FailureLatch();
    private final LongAdder served = new LongAdder();
    private final CloseableChannel server;

    /** Starts the server. */
    public RSocketLifecycle() {
        server = RSockets.bind(ServerSide::new, Duration.ofSeconds(10));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        long servedBefore = served.sum();
        LongAdder completed = new LongAdder();
        OsCounters osBefore = OsCounters.now();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Mono<Void> once = RSockets.connect(server.address()).flatMap(rs -> rs
                .requestResponse(DefaultPayload.create(Payloads.REQUEST))
                .doOnNext(p -> Payloads.check("callee data and response", FIRST_ANSWER, RSockets.take(p)))
                .then(rs.requestResponse(DefaultPayload.create(Payloads.CLIENT_BYE)))
                .doOnNext(p -> Payloads.check("server disconnect data", Payloads.SERVER_BYE, RSockets.take(p)))
                .then(Mono.defer(() -> {
                    rs.dispose();
                    return rs.onClose();
                })))
                .doOnSuccess(v -> completed.increment());
        try {
            Flux.range(0, CLIENTS)
                    .flatMap(i -> once.repeat(() -> System.nanoTime() - deadline < 0).then(), CLIENTS)
                    .then()
                    .block(duration.plusSeconds(60));
        } catch (RuntimeException e) {
            failures.fail(e);
        }
        long elapsed = System.nanoTime() - start;
        failures.rethrow("rsocket lifecycle");
        Threads.await(() -> served.sum() - servedBefore >= completed.sum(), 10_000);
        CountMismatchException.check("lifecycles (clients vs server)", completed.sum(), served.sum() - servedBefore);
        return StandardFigures.lifecycle(completed.sum(), elapsed, osBefore);
    }

    @Override
    public void close() {
        server.dispose();
        server.onClose().block(Duration.ofSeconds(10));
    }

    /** The server's handler of one connection. */
    private final class ServerSide implements RSocket {
        private int step;

        @Override
        public Mono<Payload> requestResponse(Payload payload) {
            byte[] bytes = RSockets.take(payload);
            try {
                if (step++ == 0) {
                    Payloads.check("request", Payloads.REQUEST, bytes);
                    return Mono.just(DefaultPayload.create(FIRST_ANSWER));
                }
                Payloads.check("client disconnect data", Payloads.CLIENT_BYE, bytes);
                served.increment();
                return Mono.just(DefaultPayload.create(Payloads.SERVER_BYE));
            } catch (RuntimeException e) {
                failures.fail(e);
                return Mono.error(e);
            }
        }
    }
}
