package io.parley.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write coalescing: many small sends become few write system calls (counted with /proc/self/io's syscw,
 * which counts the whole process), and a lone message on an idle connection goes out at once.
 */
class WriteCoalescingTest {

    private static long writeSyscalls() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no syscw in /proc/self/io");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manySmallSendsFromOneThreadBecomeFewWriteSystemCalls() throws Exception {
        int count = 20_000;
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<Void> reader = f.async(() -> {
                for (int i = 0; i < count; i++) {
                    assertThat(ByteBuffer.wrap(pair.server().receive(Await.BOUND)).getInt()).isEqualTo(i);
                }
                return null;
            });
            long before = writeSyscalls();
            for (int i = 0; i < count; i++) {
                pair.client().send(ByteBuffer.allocate(16).putInt(i).array());
            }
            Await.result(reader);
            long writes = writeSyscalls() - before;
            assertThat(writes).as("write system calls for %d sends of 16 bytes", count).isLessThan(count / 10);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLoneMessageOnAnIdleConnectionIsNotDelayed() throws Exception {
        int rounds = 200;
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<Void> echo = f.async(() -> {
                for (int i = 0; i < rounds; i++) {
                    pair.server().send(pair.server().receive(Await.BOUND));
                }
                return null;
            });
            long[] roundTrips = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                pair.client().send(new byte[] {(byte) i});
                assertThat(pair.client().receive(Await.BOUND)).containsExactly((byte) i);
                roundTrips[i] = System.nanoTime() - start;
            }
            Await.result(echo);
            Arrays.sort(roundTrips);
            // A send that waited to fill a batch (Nagle-like, or a delayed flush) would cost tens of ms.
            assertThat(roundTrips[rounds / 2]).as("median round trip in ns").isLessThan(5_000_000L);
        }
    }
}
