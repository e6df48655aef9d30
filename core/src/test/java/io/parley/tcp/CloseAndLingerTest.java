package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ClosedException;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionResetException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Linger;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.ReasonCode;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * closesocket and SO_LINGER (L1–L5): the default close returns at once and still delivers everything;
 * abortive close resets; bounded linger blocks until delivered or times out; unread inbound data never makes
 * the close reset the connection.
 */
class CloseAndLingerTest {
    private static final int MESSAGE = 64 * 1024;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] numbered(int i, int size) {
        return ByteBuffer.allocate(size).putInt(i).array();
    }

    private static ConnectOptions withLinger(Linger linger) {
        return ConnectOptions.builder().settings(ConnectionSettings.DEFAULTS.withLinger(linger)).build();
    }

    /** Reads {@code count} numbered messages of {@code size} bytes, then expects the end of messages. */
    private static void receiveAllThenEnd(ParleyConnection connection, int count, int size) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] message = connection.receive(Await.BOUND);
            assertThat(message).as("message %d", i).hasSize(size);
            assertThat(ByteBuffer.wrap(message).getInt()).isEqualTo(i);
        }
        assertThat(connection.receive(Await.BOUND)).isNull();
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeReturnsAtOnceAndEverythingQueuedIsStillDelivered() throws Exception {
        int count = 128; // 8 MiB: far more than the socket and Parley buffers hold while the peer does not read
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<Void> sender = f.async(() -> {
                for (int i = 0; i < count; i++) {
                    pair.client().send(numbered(i, MESSAGE));
                }
                pair.client().sendDisconnect(utf8("that was all"));
                long start = System.nanoTime();
                pair.client().close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                return null;
            });
            receiveAllThenEnd(pair.server(), count, MESSAGE);
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("that was all"));
            Await.result(sender);
            pair.server().close();
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeReturnsAtOnceEvenWhenThePeerNeitherReadsNorEnds() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            for (int i = 0; i < 4; i++) {
                pair.client().send(numbered(i, MESSAGE));
            }
            long start = System.nanoTime();
            pair.client().close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(pair.client().termination()).isNotDone();
            receiveAllThenEnd(pair.server(), 4, MESSAGE);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_closeWithoutSendDisconnectSendsAnEmptyOneAndBothEndsEndGracefully() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().send(utf8("last words"));
            pair.client().close();
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("last words"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receiveDisconnect()).isEmpty();
            // The client closed: what is sent to it now would be discarded, so sending fails at once.
            assertThatThrownBy(() -> pair.server().send(utf8("anyone?"))).isInstanceOf(ShutdownException.class);
            pair.server().close();
            assertThat(Await.result(pair.client().closeIndication())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_bothSidesClosingAtOnceEndGracefully() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> a = f.async(() -> {
                go.await();
                pair.client().close();
                return null;
            });
            CompletableFuture<Void> b = f.async(() -> {
                go.await();
                pair.server().close();
                return null;
            });
            go.countDown();
            Await.result(a);
            Await.result(b);
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    /**
     * The drain timeout bounds how long a default close waits for a peer that never sends its disconnect;
     * then the connection is reset (a raw callee plays the peer that never ends, so the reset can be seen).
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l1_aPeerThatNeverEndsIsResetWhenTheDrainTimeoutPasses() throws Exception {
        ConnectOptions drain = ConnectOptions.builder()
                .settings(ConnectionSettings.DEFAULTS.withDrainTimeout(Duration.ofMillis(300))).build();
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK)) {
            CompletableFuture<ParleyConnection> connecting = RawPeer.connectTo(server, drain);
            try (RawPeer callee = RawPeer.accept(server)) {
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Preamble.class);
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Connect.class);
                callee.write(RawPeer.acceptAnswer());
                ParleyConnection client = Await.result(connecting);
                client.send(utf8("before close"));
                long start = System.nanoTime();
                client.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250));

                // The callee gets everything and the disconnect; the transport stays open, since the closing
                // side still owes the acknowledgement of the callee's disconnect...
                assertThat(callee.nextFrame()).isInstanceOfSatisfying(Frame.Data.class,
                        d -> assertThat(d.payload()).isEqualTo(utf8("before close")));
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Disconnect.class);
                // ...but it never sends its own disconnect: the close gives up after the drain timeout.
                CloseIndication ending = Await.result(client.termination());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                assertThat(ending.kind()).isEqualTo(CloseIndication.Kind.ABORTED);
                assertThat(ending.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
                assertThat(callee.writesFailWithinBound()).as("the callee's transport was reset").isTrue();
            }
        }
    }

    /**
     * The side whose DISCONNECT goes last waits, after its close returned, only for the acknowledgement; a
     * peer that never sends one (a raw callee that disconnected first, keeping its transport open) ends it
     * unconfirmed when the drain timeout passes, never graceful, and the transport is reset (L4).
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l4_aPeerThatNeverAcknowledgesEndsUnconfirmedWhenTheDrainTimeoutPasses() throws Exception {
        ConnectOptions drain = ConnectOptions.builder()
                .settings(ConnectionSettings.DEFAULTS.withDrainTimeout(Duration.ofMillis(300))).build();
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK)) {
            CompletableFuture<ParleyConnection> connecting = RawPeer.connectTo(server, drain);
            try (RawPeer callee = RawPeer.accept(server)) {
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Preamble.class);
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Connect.class);
                callee.write(RawPeer.concat(RawPeer.acceptAnswer(), RawPeer.disconnect(utf8("callee first"))));
                ParleyConnection client = Await.result(connecting);
                assertThat(client.receive()).as("the callee's messages ended").isNull();
                assertThat(client.receiveDisconnect()).isEqualTo(utf8("callee first"));

                client.sendDisconnect(utf8("caller last"));
                long start = System.nanoTime();
                client.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250));
                assertThat(callee.nextFrame()).isInstanceOf(Frame.DisconnectAck.class);
                assertThat(callee.nextFrame()).isInstanceOfSatisfying(Frame.Disconnect.class,
                        d -> assertThat(d.data()).isEqualTo(utf8("caller last")));

                CloseIndication ending = Await.result(client.termination());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                assertThat(ending.kind()).isEqualTo(CloseIndication.Kind.UNCONFIRMED);
                assertThat(ending.isGraceful()).isFalse();
                assertThat(ending.reason()).isEqualTo(ReasonCode.TIMED_OUT);
                assertThat(callee.awaitEnd()).as("the caller gave up with a reset").isEqualTo(RawPeer.End.RESET);
            }
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l2_abortiveCloseIsSeenByThePeerAsAResetWithoutReading() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withLinger(Linger.ABORTIVE), r -> Decision.accept());
            pair.client().send(utf8("queued"));
            pair.client().close();
            CloseIndication indication = Await.result(pair.server().closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            assertThat(Await.result(pair.client().termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
        }
    }

    /**
     * With more unread than the receive buffer holds, the receiver has stopped reading the transport (memory
     * stays bounded), so it learns of the reset once the application reads what came before it: the close
     * indication then says RESET, and receive never reports a graceful end.
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l2_abortiveCloseBehindMoreDataThanTheReceiverBuffersIsStillSeenAsAReset() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withLinger(Linger.ABORTIVE), r -> Decision.accept());
            for (int i = 0; i < 16; i++) {
                pair.client().send(numbered(i, MESSAGE));
            }
            pair.client().close();
            int received = 0;
            while (true) {
                try {
                    assertThat(pair.server().receive(Await.BOUND)).as("never the end of messages").isNotNull();
                    assertThat(++received).isLessThanOrEqualTo(16);
                } catch (ConnectionResetException e) {
                    assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
                    break;
                }
            }
            assertThat(Await.result(pair.server().closeIndication()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l2_abortiveCloseOnARawPeerIsATcpReset() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder()
                .settings(ConnectionSettings.DEFAULTS.withLinger(Linger.ABORTIVE)).build());
             RawPeer caller = RawPeer.connect(f.address())) {
            caller.write(RawPeer.request(new byte[0]));
            ParleyConnection server = f.track(f.listener.accept(r -> Decision.accept(), Await.BOUND));
            assertThat(caller.nextFrame()).isInstanceOf(Frame.Preamble.class);
            assertThat(caller.nextFrame()).isInstanceOf(Frame.Accept.class);
            server.close();
            assertThat(caller.awaitEnd()).isEqualTo(RawPeer.End.RESET);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l3_boundedLingerBlocksUntilDeliveredAndThePeerEnded() throws Exception {
        int count = 64;
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withLinger(Linger.bounded(Duration.ofSeconds(8))), r -> Decision.accept());
            CompletableFuture<Void> reader = f.async(() -> {
                receiveAllThenEnd(pair.server(), count, MESSAGE);
                pair.server().close();
                return null;
            });
            for (int i = 0; i < count; i++) {
                pair.client().send(numbered(i, MESSAGE));
            }
            pair.client().close();
            assertThat(pair.client().termination()).as("close returned only once done")
                    .isCompletedWithValue(CloseIndication.GRACEFUL);
            Await.result(reader);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l3_boundedLingerTimesOutThenResetsAndThePeerSeesTheReset() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withLinger(Linger.bounded(Duration.ofMillis(300))), r -> Decision.accept());
            // The server does not read: the client's queue cannot be delivered, let alone its disconnect.
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = f.async(() -> {
                for (int i = 0; i < 1024; i++) {
                    pair.client().send(numbered(i, MESSAGE));
                    sent.incrementAndGet();
                }
                return null;
            });
            Await.untilStable(sent, Duration.ofMillis(300));
            assertThat(sender).as("blocked by the server not reading").isNotDone();

            long start = System.nanoTime();
            assertThatThrownBy(() -> pair.client().close())
                    .isInstanceOfSatisfying(TimedOutException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
                    Duration.ofSeconds(5));
            assertThat(Await.failure(sender)).as("the blocked send ends with the close").isInstanceOf(ClosedException.class);
            CloseIndication ending = Await.result(pair.client().termination());
            assertThat(ending.reason()).isEqualTo(ReasonCode.TIMED_OUT);
            assertThat(ending.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);

            // The server reads what reached it, then learns of the reset: never an end of messages.
            int received = 0;
            while (true) {
                try {
                    assertThat(pair.server().receive(Await.BOUND)).as("never the end of messages").isNotNull();
                    assertThat(++received).isLessThanOrEqualTo(sent.get());
                } catch (ConnectionResetException e) {
                    break;
                }
            }
            assertThat(received).isLessThan(sent.get());
            assertThat(Await.result(pair.server().closeIndication()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void l5_closingWithUnreadInboundDataNeverResetsAwayWhatThePeerHasNotRead() throws Exception {
        int inbound = 64;  // 4 MiB towards the server that it never reads
        int outbound = 32; // 2 MiB back to the client, then the disconnect data
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<Void> flood = f.async(() -> {
                for (int i = 0; i < inbound; i++) {
                    pair.client().send(numbered(i, MESSAGE));
                }
                return null;
            });
            for (int i = 0; i < outbound; i++) {
                pair.server().send(numbered(i, MESSAGE));
            }
            pair.server().sendDisconnect(utf8("answer"));
            pair.server().close();
            // The client reads only now, long after the server closed with all that inbound data unread.
            receiveAllThenEnd(pair.client(), outbound, MESSAGE);
            assertThat(pair.client().receiveDisconnect()).isEqualTo(utf8("answer"));
            Await.result(flood);
            pair.client().close();
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    /** An abort while another thread is parked in its own read ends that receive at once; the peer sees a reset. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void abortEndsAReceiveParkedInItsOwnReadWhileThePeerIsSilent() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<byte[]> receiving = receiveWhenParked(pair.client());
            pair.client().abort("enough");
            assertThat(Await.failure(receiving)).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> pair.server().receive(Await.BOUND)).isInstanceOf(ConnectionResetException.class);
            assertThat(Await.result(pair.client().termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
        }
    }

    /**
     * L1 with a receive in progress on another thread: the receiving thread is parked in its own read of the
     * socket (nobody else reads), and the peer neither sends nor closes. close() must still end that receive
     * at once, and the graceful close completes when the peer closes.
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeEndsAReceiveParkedInItsOwnReadWhileThePeerIsSilent() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<byte[]> receiving = receiveWhenParked(pair.client());
            pair.client().close();
            assertThat(Await.failure(receiving)).isInstanceOf(ClosedException.class);
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            pair.server().close();
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void afterCloseEveryCallFailsWithClosedAndClosingAgainDoesNothing() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CompletableFuture<byte[]> blocked = f.async(() -> pair.client().receive());
            pair.client().close();
            pair.client().close();
            assertThat(Await.failure(blocked)).isInstanceOfSatisfying(ClosedException.class,
                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAENOTSOCK));
            assertThatThrownBy(() -> pair.client().send(utf8("x"))).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> pair.client().receive()).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> pair.client().sendDisconnect(utf8("x"))).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> pair.client().receiveDisconnect()).isInstanceOf(ClosedException.class);
            assertThat(pair.server().receive(Await.BOUND)).isNull();
        }
    }

    /** Starts a receive on its own thread and returns once that thread is parked in it. */
    private static CompletableFuture<byte[]> receiveWhenParked(ParleyConnection connection) throws InterruptedException {
        CompletableFuture<byte[]> receiving = new CompletableFuture<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                receiving.complete(connection.receive());
            } catch (Throwable t) {
                receiving.completeExceptionally(t);
            }
        });
        Await.until("the receiver is parked", () -> receiver.getState() == Thread.State.WAITING);
        return receiving;
    }
}
