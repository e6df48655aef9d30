package io.parley.tcp;

import io.parley.ConnectOptions;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded memory: a receiver that does not read makes the sender block, or time out with the send timeout,
 * instead of anything buffering without limit; nothing is lost or duplicated on the way (E3's FD_WRITE).
 */
class BackpressureTest {
    private static final int MESSAGE = 16 * 1024;
    private static final int PARLEY_BUFFER = 64 * 1024;

    private static byte[] numbered(int i) {
        return ByteBuffer.allocate(MESSAGE).putInt(i).array();
    }

    /**
     * The most that can be in flight while the receiver does not read: both Parley buffers, a message being
     * encoded and one being taken apart on each side, and the kernel's socket buffers (the sender's may grow
     * to tcp_wmem's maximum; the receiver's does not grow while its application does not read, so its
     * default is doubled for the kernel's bookkeeping share).
     */
    private static long inFlightBound() throws IOException {
        long wmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).getFirst().trim().split("\\s+")[2]);
        long rmemDefault = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_rmem")).getFirst().trim().split("\\s+")[1]);
        return 2L * PARLEY_BUFFER + 4L * MESSAGE + wmemMax + 2 * rmemDefault;
    }

    private static ConnectionSettings smallBuffers() {
        return ConnectionSettings.DEFAULTS.withBufferSizes(PARLEY_BUFFER, PARLEY_BUFFER);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSlowReceiverMakesTheSenderBlockAndItResumesWhenReadingResumes() throws Exception {
        long bound = inFlightBound();
        int total = (int) (3 * bound / MESSAGE);
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().settings(smallBuffers()).build())) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().settings(smallBuffers()).build(),
                    r -> Decision.accept());
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = f.async(() -> {
                for (int i = 0; i < total; i++) {
                    pair.client().send(numbered(i));
                    sent.incrementAndGet();
                }
                return null;
            });
            int blockedAt = Await.untilStable(sent, Duration.ofMillis(300));
            assertThat(sender).as("the sender must be blocked, not done").isNotDone();
            assertThat((long) blockedAt * MESSAGE).as("bytes taken by send while nobody reads")
                    .isLessThanOrEqualTo(bound);

            for (int i = 0; i < total; i++) {
                byte[] message = pair.server().receive(Await.BOUND);
                assertThat(ByteBuffer.wrap(message).getInt()).isEqualTo(i);
            }
            Await.result(sender);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withASendTimeoutASlowReceiverMakesSendTimeOutAndNothingIsLostOrDuplicated() throws Exception {
        long bound = inFlightBound();
        int attempts = (int) (3 * bound / MESSAGE);
        ConnectionSettings impatient = smallBuffers().withSendTimeout(Duration.ofMillis(300));
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().settings(smallBuffers()).build())) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().settings(impatient).build(),
                    r -> Decision.accept());
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = f.async(() -> {
                for (int i = 0; i < attempts; i++) {
                    pair.client().send(numbered(i));
                    sent.incrementAndGet();
                }
                return null;
            });
            assertThat(Await.failure(sender)).as("send must time out while nobody reads")
                    .isInstanceOfSatisfying(TimedOutException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT));
            int accepted = sent.get();
            assertThat((long) accepted * MESSAGE).isLessThanOrEqualTo(bound);

            int delivered = accepted;
            CountDownLatch drained = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = f.async(() -> {
                for (int i = 0; i < delivered; i++) {
                    assertThat(ByteBuffer.wrap(pair.server().receive(Await.BOUND)).getInt()).isEqualTo(i);
                }
                drained.countDown();
                return pair.server().receive(Await.BOUND);
            });
            assertThat(drained.await(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // The next message after the accepted ones is the marker: the send that timed out left nothing.
            pair.client().send(ByteBuffer.allocate(4).putInt(-1).array());
            assertThat(ByteBuffer.wrap(Await.result(reader)).getInt()).isEqualTo(-1);
        }
    }
}
