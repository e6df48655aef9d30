package io.parley.tcp;

import io.parley.ParleyConnection;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages (P1, P2): boundaries kept whatever the size, full duplex, whole messages from several senders. */
class MessagingTest {

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void p2_messageBoundariesArePreservedAcrossFragmentAndBufferSizes() throws Exception {
        int[] sizes = {0, 1, 2, 0, 16383, 16384, 16385, 0, 65535, 65536, 65537, 100_000, 1 << 20, 3, 0};
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<List<byte[]>> received = f.async(() -> {
                List<byte[]> all = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    all.add(pair.server().receive(Await.BOUND));
                }
                return all;
            });
            for (int i = 0; i < sizes.length; i++) {
                pair.client().send(pattern(sizes[i], i));
            }
            List<byte[]> all = Await.result(received);
            for (int i = 0; i < sizes.length; i++) {
                assertThat(all.get(i)).as("message %d of %d bytes", i, sizes[i]).isEqualTo(pattern(sizes[i], i));
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneThreadSendsWhileAnotherReceivesInBothDirectionsAtOnce() throws Exception {
        int count = 2000;
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            List<CompletableFuture<?>> work = List.of(
                    f.async(() -> sendNumbered(pair.client(), count, 1)),
                    f.async(() -> sendNumbered(pair.server(), count, 2)),
                    f.async(() -> receiveNumbered(pair.server(), count, 1)),
                    f.async(() -> receiveNumbered(pair.client(), count, 2)));
            for (CompletableFuture<?> part : work) {
                Await.result(part, Duration.ofSeconds(25));
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sendsFromSeveralThreadsArriveWholeAndInEachThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 1000;
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            List<CompletableFuture<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(f.async(() -> {
                    for (int seq = 0; seq < perThread; seq++) {
                        int size = 8 + (seq * 7919 + thread * 104729) % 40_000;
                        pair.client().send(ByteBuffer.allocate(size).putInt(thread).putInt(seq).array());
                    }
                    return null;
                }));
            }
            int[] next = new int[threads];
            for (int i = 0; i < threads * perThread; i++) {
                byte[] message = pair.server().receive(Await.BOUND);
                ByteBuffer in = ByteBuffer.wrap(message);
                int thread = in.getInt();
                int seq = in.getInt();
                assertThat(seq).as("order of thread %d", thread).isEqualTo(next[thread]++);
                assertThat(message).hasSize(8 + (seq * 7919 + thread * 104729) % 40_000);
            }
            for (CompletableFuture<?> sender : senders) {
                Await.result(sender);
            }
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void receiveWithATimeoutFailsWithTimedOutAndLosesNothing() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            assertThatThrownBy(() -> pair.server().receive(Duration.ofMillis(100)))
                    .isInstanceOfSatisfying(TimedOutException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT));
            pair.client().send(new byte[] {7});
            assertThat(pair.server().receive(Await.BOUND)).containsExactly(7);
        }
    }

    private static Void sendNumbered(ParleyConnection connection, int count, int seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int size = 4 + random.nextInt(8192);
            connection.send(ByteBuffer.allocate(size).putInt(i).array());
        }
        return null;
    }

    private static Void receiveNumbered(ParleyConnection connection, int count, int seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int size = 4 + random.nextInt(8192);
            byte[] message = connection.receive(Await.BOUND);
            assertThat(message).hasSize(size);
            assertThat(ByteBuffer.wrap(message).getInt()).isEqualTo(i);
        }
        return null;
    }
}
