package io.parley.tcp;

import io.parley.ClosedException;
import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.NoListenerException;
import io.parley.Parley;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener's queue of pending requests (A1, A6, A8): a request joins only when whole, the backlog
 * bounds it, dead requests leave it, incomplete handshakes time out, and closing the listener empties it.
 */
class PendingQueueTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Accepts the next request, returning what its condition saw as caller data. */
    private static String acceptNext(LoopbackFixture f) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        f.track(f.listener.accept(request -> {
            seen.set(new String(request.callerData(), StandardCharsets.UTF_8));
            return Decision.accept();
        }, Await.BOUND));
        return seen.get();
    }

    /** Accepts the next request and expects it to be one its caller gave up: the condition never sees it. */
    private static void assertNextAbandoned(LoopbackFixture f, String callerData, WinsockError... expected)
            throws Exception {
        AcceptResult result = f.listener.accept(request -> {
            throw new AssertionError("an abandoned request was presented to the condition");
        }, Await.BOUND);
        assertThat(result).isInstanceOfSatisfying(AcceptResult.Abandoned.class,
                a -> assertThat(a.request().callerData()).isEqualTo(utf8(callerData)));
        assertThat(result.winsockError()).as(result.toString()).isIn((Object[]) expected);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a1_aRequestJoinsTheQueueOnlyOnceItArrivedWhole() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer slow = RawPeer.connect(f.address())) {
            byte[] request = RawPeer.request(utf8("slow but whole"));
            int half = request.length / 2;
            slow.write(Arrays.copyOfRange(request, 0, half));

            CompletableFuture<ParleyConnection> fast = f.connectAsync(ConnectOptions.builder().callerData(utf8("fast")).build());
            assertThat(acceptNext(f)).isEqualTo("fast");
            Await.result(fast);
            assertThat(f.listener.pendingCount()).isZero();

            slow.write(Arrays.copyOfRange(request, half, request.length));
            Await.until("the completed request is queued", () -> f.listener.pendingCount() == 1);
            assertThat(acceptNext(f)).isEqualTo("slow but whole");
            assertThat(slow.nextFrame()).isInstanceOf(Frame.Preamble.class);
            assertThat(slow.nextFrame()).isInstanceOf(Frame.Accept.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a1_aRequestBeyondTheBacklogIsRefusedAtOnceWithQueueFull() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().backlog(2).build())) {
            CompletableFuture<ParleyConnection> one = f.connectAsync(ConnectOptions.builder().callerData(utf8("1")).build());
            Await.until("the first request queued", () -> f.listener.pendingCount() == 1);
            CompletableFuture<ParleyConnection> two = f.connectAsync(ConnectOptions.builder().callerData(utf8("2")).build());
            Await.until("two requests queued", () -> f.listener.pendingCount() == 2);

            CompletableFuture<ParleyConnection> three = f.connectAsync(ConnectOptions.builder().callerData(utf8("3")).build());
            assertThat(Await.failure(three)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.QUEUE_FULL);
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
            });
            assertThat(f.listener.pendingCount()).isEqualTo(2);
            assertThat(acceptNext(f)).isEqualTo("1");
            assertThat(acceptNext(f)).isEqualTo("2");
            Await.result(one);
            Await.result(two);
        }
    }

    @ParameterizedTest(name = "a6_aCallerThatEndsWhilePendingIsReportedInItsPlace[{0}]")
    @ValueSource(strings = {"fin", "reset", "withdraw"})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_aCallerThatEndsWhilePendingIsReportedInItsPlace(String how) throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer dead = RawPeer.connect(f.address())) {
            dead.write(RawPeer.request(utf8("dead")));
            Await.until("the raw request is queued", () -> f.listener.pendingCount() == 1);
            switch (how) {
                case "fin" -> dead.shutdownOutput();
                case "reset" -> dead.reset();
                default -> dead.write(io.parley.protocol.FrameEncoder.toBytes(
                        new Frame.Abort(ReasonCode.WITHDRAWN.code(), new byte[0])));
            }
            Await.until("the dead request stops waiting", () -> f.listener.pendingCount() == 0);

            CompletableFuture<ParleyConnection> live = f.connectAsync(ConnectOptions.builder().callerData(utf8("live")).build());
            Await.until("the live request queued", () -> f.listener.pendingCount() == 1);
            assertNextAbandoned(f, "dead", how.equals("withdraw") ? WinsockError.WSAEACCES : WinsockError.WSAECONNRESET);
            assertThat(acceptNext(f)).isEqualTo("live");
            Await.result(live);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_abandonedRequestsTakeNoPlaceInTheBacklogAndOnlyTheNewestBacklogOfThemAreReported() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().backlog(2).build())) {
            for (String round : new String[] {"old", "new"}) {
                try (RawPeer first = RawPeer.connect(f.address()); RawPeer second = RawPeer.connect(f.address())) {
                    first.write(RawPeer.request(utf8(round + "-1")));
                    Await.until("the first request queued", () -> f.listener.pendingCount() == 1);
                    second.write(RawPeer.request(utf8(round + "-2")));
                    Await.until("both requests queued", () -> f.listener.pendingCount() == 2);
                    first.reset();
                    second.reset();
                    Await.until("both requests stop waiting", () -> f.listener.pendingCount() == 0);
                }
            }
            assertNextAbandoned(f, "new-1", WinsockError.WSAECONNRESET);
            assertNextAbandoned(f, "new-2", WinsockError.WSAECONNRESET);
            CompletableFuture<ParleyConnection> live = f.connectAsync(ConnectOptions.builder().callerData(utf8("live")).build());
            assertThat(acceptNext(f)).isEqualTo("live");
            Await.result(live);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_aCallerWhoseConnectTimesOutIsReportedAsWithdrawn() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> impatient = f.connectAsync(ConnectOptions.builder()
                    .callerData(utf8("impatient")).connectTimeout(Duration.ofMillis(300)).build());
            assertThat(Await.failure(impatient)).isInstanceOf(TimedOutException.class);
            Await.until("the withdrawn request stops waiting", () -> f.listener.pendingCount() == 0);
            assertNextAbandoned(f, "impatient", WinsockError.WSAEACCES);
            CompletableFuture<ParleyConnection> live = f.connectAsync(ConnectOptions.builder().callerData(utf8("live")).build());
            assertThat(acceptNext(f)).isEqualTo("live");
            Await.result(live);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_aCallerThatGivesUpItsConnectByInterruptionWithdrawsIt() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> quitter = new CompletableFuture<>();
            Thread connecting = Thread.ofVirtual().start(() -> {
                try {
                    quitter.complete(f.connect(ConnectOptions.builder().callerData(utf8("quitter")).build()));
                } catch (Throwable t) {
                    quitter.completeExceptionally(t);
                }
            });
            Await.until("queued", () -> f.listener.pendingCount() == 1);
            connecting.interrupt();
            assertThat(Await.failure(quitter)).isInstanceOf(InterruptedIOException.class);
            Await.until("the abandoned request stops waiting", () -> f.listener.pendingCount() == 0);
            // The connect withdraws its request (WSAEACCES) when the interrupt finds it waiting; when it finds
            // it in a socket read, the JDK closes the socket first and the callee sees the caller terminate.
            assertNextAbandoned(f, "quitter", WinsockError.WSAEACCES, WinsockError.WSAECONNRESET);
            CompletableFuture<ParleyConnection> live = f.connectAsync(ConnectOptions.builder().callerData(utf8("live")).build());
            assertThat(acceptNext(f)).isEqualTo("live");
            Await.result(live);
        }
    }

    @ParameterizedTest(name = "a8_anIncompleteHandshakeIsClosedAfterTheHandshakeTimeout[{0} bytes]")
    @ValueSource(ints = {0, 5, 10, 20})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a8_anIncompleteHandshakeIsClosedAfterTheHandshakeTimeoutWithoutQueueing(int sent) throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder()
                .handshakeTimeout(Duration.ofMillis(300)).build());
             RawPeer stalled = RawPeer.connect(f.address())) {
            byte[] request = RawPeer.request(utf8("never finished"));
            stalled.write(Arrays.copyOf(request, sent));
            long start = System.nanoTime();
            // The callee may say why (preamble and ABORT TIMED_OUT) before it ends the transport.
            Frame frame;
            Frame.Abort abort = null;
            while ((frame = stalled.nextFrame()) != null) {
                if (frame instanceof Frame.Abort a) {
                    abort = a;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(abort).isNotNull();
            assertThat(abort.reason()).isEqualTo(ReasonCode.TIMED_OUT);
            assertThat(f.listener.pendingCount()).isZero();
            assertThatThrownBy(() -> f.listener.accept(AcceptCondition.acceptAll(), Duration.ofMillis(100)))
                    .isInstanceOf(TimedOutException.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aQueuedRequestIsNotSubjectToTheHandshakeTimeout() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder()
                .handshakeTimeout(Duration.ofMillis(200)).build())) {
            CompletableFuture<ParleyConnection> patient = f.connectAsync(ConnectOptions.builder()
                    .callerData(utf8("patient")).build());
            Await.until("queued", () -> f.listener.pendingCount() == 1);
            // Well past the handshake timeout, the whole request must still be there.
            CompletableFuture<ParleyConnection> marker = f.connectAsync(ConnectOptions.builder()
                    .callerData(utf8("marker")).connectTimeout(Duration.ofMillis(600)).build());
            assertThat(Await.failure(marker)).isInstanceOf(TimedOutException.class);
            assertThat(acceptNext(f)).isEqualTo("patient");
            Await.result(patient);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingTheListenerRefusesPendingRequestsWithShuttingDownAndKeepsConnections() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair established = f.pair();
            CompletableFuture<ParleyConnection> pending = f.connectAsync(ConnectOptions.defaults());
            Await.until("queued", () -> f.listener.pendingCount() == 1);
            f.listener.close();

            assertThat(Await.failure(pending)).isInstanceOfSatisfying(ConnectionRefusedException.class, e ->
                    assertThat(e.reason()).isEqualTo(ReasonCode.SHUTTING_DOWN));
            assertThat(f.listener.pendingCount()).isZero();
            assertThatThrownBy(() -> f.listener.accept(AcceptCondition.acceptAll(), Duration.ofMillis(100)))
                    .isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> f.connect()).isInstanceOf(NoListenerException.class);

            established.client().send(utf8("still here"));
            assertThat(established.server().receive(Await.BOUND)).isEqualTo(utf8("still here"));
        }
    }

    /** Once close() returned, the port is really closed: a connect is refused, never accepted then reset. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void afterCloseReturnsTheTransportRefusesConnectionsAtOnce() throws Exception {
        for (int i = 0; i < 50; i++) {
            LoopbackFixture f = new LoopbackFixture();
            f.close();
            assertThatThrownBy(() -> Parley.tcp().connect(f.address(), ConnectOptions.defaults()))
                    .as("attempt %d", i).isInstanceOf(NoListenerException.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingTheListenerReleasesABlockedAcceptWithClosedException() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<ParleyConnection> blocked = f.async(() -> {
                started.countDown();
                return f.listener.accept();
            });
            started.await();
            f.listener.close();
            assertThat(Await.failure(blocked)).isInstanceOfSatisfying(ClosedException.class, e ->
                    assertThat(e.winsockError()).isEqualTo(WinsockError.WSAENOTSOCK));
        }
    }
}
