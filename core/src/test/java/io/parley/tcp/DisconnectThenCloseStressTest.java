package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.TimedOutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * L4, the reference scenario's step 5A, repeated: the server sends its messages and its disconnect data and
 * closes at once, with no synchronisation with the client's reading; every time, the client still receives
 * every message, the end of messages and the disconnect data, and both ends finish gracefully.
 */
class DisconnectThenCloseStressTest {
    private static final int REPETITIONS = 1_000;
    private static final int CLIENTS = 4;
    private static final int ACCEPTORS = 2;

    /** What the server sends for a given seed: a few messages of random sizes, then disconnect data. */
    private static List<byte[]> script(long seed) {
        Random random = new Random(seed);
        List<byte[]> parts = new ArrayList<>();
        int messages = random.nextInt(4);
        for (int i = 0; i <= messages; i++) {
            byte[] part = new byte[random.nextInt(i == messages ? 4097 : 20_000)];
            random.nextBytes(part);
            parts.add(part);
        }
        return parts; // the last part is the disconnect data
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sendDisconnectThenCloseAtOnceStillDeliversEverythingEveryTime() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().backlog(64).build())) {
            AtomicInteger served = new AtomicInteger();
            ConcurrentLinkedQueue<ParleyConnection> servers = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Void>> acceptors = new ArrayList<>();
            for (int a = 0; a < ACCEPTORS; a++) {
                acceptors.add(f.async(() -> {
                    while (served.get() < REPETITIONS) {
                        ParleyConnection server;
                        try {
                            server = LoopbackFixture.accepted(f.listener.accept(r -> Decision.accept(), Duration.ofMillis(200)));
                        } catch (TimedOutException e) {
                            continue;
                        }
                        served.incrementAndGet();
                        servers.add(server);
                        List<byte[]> parts = script(ByteBuffer.wrap(server.callerData()).getLong());
                        for (byte[] message : parts.subList(0, parts.size() - 1)) {
                            server.send(message);
                        }
                        server.sendDisconnect(parts.getLast());
                        server.close(); // 5A: no waiting for the client at all
                    }
                    return null;
                }));
            }
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(f.async(() -> {
                    for (int i = client; i < REPETITIONS; i += CLIENTS) {
                        long seed = 31L * i + 7;
                        ParleyConnection connection = connectWithSeed(f, seed);
                        List<byte[]> parts = script(seed);
                        for (int m = 0; m < parts.size() - 1; m++) {
                            assertThat(connection.receive(Await.BOUND)).as("repetition %d message %d", i, m)
                                    .isEqualTo(parts.get(m));
                        }
                        assertThat(connection.receive(Await.BOUND)).as("repetition %d end", i).isNull();
                        assertThat(connection.receiveDisconnect()).as("repetition %d disconnect data", i)
                                .isEqualTo(parts.getLast());
                        connection.close();
                        assertThat(Await.result(connection.termination())).isEqualTo(CloseIndication.GRACEFUL);
                    }
                    return null;
                }));
            }
            for (CompletableFuture<Void> client : clients) {
                Await.result(client, Duration.ofSeconds(80));
            }
            for (CompletableFuture<Void> acceptor : acceptors) {
                Await.result(acceptor);
            }
            assertThat(servers).hasSize(REPETITIONS);
            for (ParleyConnection server : servers) {
                assertThat(Await.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
            }
        }
    }

    private static ParleyConnection connectWithSeed(LoopbackFixture f, long seed) throws Exception {
        return io.parley.Parley.tcp().connect(f.address(), ConnectOptions.builder()
                .callerData(ByteBuffer.allocate(8).putLong(seed).array()).build());
    }
}
