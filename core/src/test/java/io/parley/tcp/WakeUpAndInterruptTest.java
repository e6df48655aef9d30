package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ClosedException;
import io.parley.ConnectOptions;
import io.parley.ConnectionSettings;
import io.parley.Linger;
import io.parley.ParleyConnection;
import io.parley.ReasonCode;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocked call ends by this side's own doing, whatever the peer does: {@code close()} wakes every call
 * blocked on the connection at once, and interrupting a blocked call always aborts the connection (as an
 * interrupted blocking socket or channel call does in Java), whichever call it was and whichever thread
 * happened to be reading. The peer here is a raw callee that accepts, then never sends anything again and
 * keeps its socket open.
 */
class WakeUpAndInterruptTest {
    /** Long enough that a wake-up by the closer's drain timeout (not by close itself) fails the test. */
    private static final ConnectOptions PATIENT = ConnectOptions.builder()
            .settings(ConnectionSettings.DEFAULTS.withDrainTimeout(Duration.ofSeconds(60))).build();
    /**
     * As {@link #PATIENT}, with a send timeout far beyond the test's, so that senders never write the transport
     * themselves and block only waiting for room (a send that writes itself after a quiet spell can block in
     * the transport's write, which ends only when the peer reads or the drain timeout resets the connection).
     */
    private static final ConnectOptions PATIENT_SENDER = ConnectOptions.builder()
            .settings(ConnectionSettings.DEFAULTS.withDrainTimeout(Duration.ofSeconds(60))
                    .withSendTimeout(Duration.ofSeconds(60))).build();

    /** A call made on a virtual thread of its own, which the test watches block. */
    private record Blocked<T>(Thread thread, CompletableFuture<T> result) {
        static <T> Blocked<T> start(java.util.concurrent.Callable<T> call) throws InterruptedException {
            CompletableFuture<T> result = new CompletableFuture<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            thread.set(Thread.ofVirtual().start(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }));
            Await.until("the call blocks", () -> thread.get().getState() == Thread.State.WAITING
                    || thread.get().getState() == Thread.State.TIMED_WAITING || result.isDone());
            assertThat(result).as("the call returned instead of blocking").isNotDone();
            return new Blocked<>(thread.get(), result);
        }

        Throwable failure() throws InterruptedException {
            return Await.failure(result);
        }
    }

    /** Runs {@code test} with a connection to a raw callee that answered the request and then went quiet. */
    private interface WithSilentPeer {
        void run(ParleyConnection client, RawPeer callee) throws Exception;
    }

    private static void withSilentPeer(ConnectOptions options, WithSilentPeer test) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK)) {
            CompletableFuture<ParleyConnection> connecting = RawPeer.connectTo(server, options);
            try (RawPeer callee = RawPeer.accept(server)) {
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Preamble.class);
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Connect.class);
                callee.write(RawPeer.acceptAnswer());
                ParleyConnection client = Await.result(connecting);
                try {
                    test.run(client, callee);
                } finally {
                    try {
                        client.abort("the test is over");
                    } catch (ClosedException closedByTheTest) {
                        // the callee's socket closes next, which ends the close the test began
                    }
                }
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeWakesAReceiveBlockedOnAPeerThatNeverAnswers() throws Exception {
        withSilentPeer(PATIENT, (client, callee) -> {
            Blocked<byte[]> receiving = Blocked.start(client::receive);
            client.close();
            assertThat(receiving.failure()).isInstanceOf(ClosedException.class);
        });
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeWakesEveryBlockedReceiverNotOnlyTheOneReading() throws Exception {
        withSilentPeer(PATIENT, (client, callee) -> {
            Blocked<byte[]> first = Blocked.start(client::receive);
            Blocked<byte[]> second = Blocked.start(() -> client.receive(Duration.ofMinutes(1)));
            client.close();
            assertThat(first.failure()).isInstanceOf(ClosedException.class);
            assertThat(second.failure()).isInstanceOf(ClosedException.class);
        });
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeWakesASendWaitingForRoom() throws Exception {
        withSilentPeer(PATIENT_SENDER, (client, callee) -> {
            Blocked<Void> sending = Blocked.start(() -> {
                for (int i = 0; i < 10_000; i++) { // the callee reads nothing: room runs out long before
                    client.send(ByteBuffer.allocate(64 * 1024));
                }
                return null;
            });
            client.close();
            assertThat(sending.failure()).isInstanceOf(ClosedException.class);
        });
    }

    /** The rule for interrupts: the interrupted call throws InterruptedIOException and the connection is aborted. */
    private static void assertInterruptAborts(ParleyConnection client, RawPeer callee, Blocked<?> call)
            throws Exception {
        call.thread().interrupt();
        assertThat(call.failure()).isInstanceOf(InterruptedIOException.class);
        CloseIndication ending = Await.result(client.termination());
        assertThat(ending.kind()).isEqualTo(CloseIndication.Kind.ABORTED);
        assertThat(ending.reason()).isEqualTo(ReasonCode.APPLICATION_ABORT);
        assertThat(callee.awaitEnd()).as("the peer sees the transport end abortively").isEqualTo(RawPeer.End.RESET);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingAReceiveAbortsTheConnection() throws Exception {
        withSilentPeer(PATIENT, (client, callee) -> assertInterruptAborts(client, callee,
                Blocked.start(client::receive)));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingAReceiveThatDoesNotReadTheTransportAbortsTheConnectionToo() throws Exception {
        withSilentPeer(PATIENT, (client, callee) -> {
            Blocked<byte[]> reading = Blocked.start(client::receive);
            Blocked<byte[]> waiting = Blocked.start(() -> client.receive(Duration.ofMinutes(1)));
            assertInterruptAborts(client, callee, waiting);
            assertThat(reading.failure()).isNotNull();
        });
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingASendWaitingForRoomAbortsTheConnection() throws Exception {
        withSilentPeer(PATIENT_SENDER, (client, callee) -> assertInterruptAborts(client, callee, Blocked.start(() -> {
            for (int i = 0; i < 10_000; i++) {
                client.send(ByteBuffer.allocate(64 * 1024));
            }
            return null;
        })));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingALingeringCloseAbortsTheConnection() throws Exception {
        ConnectOptions lingering = ConnectOptions.builder().settings(ConnectionSettings.DEFAULTS
                .withLinger(Linger.bounded(Duration.ofMinutes(1)))).build();
        withSilentPeer(lingering, (client, callee) -> assertInterruptAborts(client, callee,
                Blocked.start(() -> {
                    client.close();
                    return null;
                })));
    }
}
