package io.parley.internal.driver;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Linger;
import io.parley.ListenOptions;
import io.parley.ParleyConnection;
import io.parley.TimedOutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver on in-memory streams: no sockets, and every wait below is for a result the driver must produce,
 * never for time to pass. The streams' small buffers make "the peer reads nothing" reachable in a few KiB.
 */
class DriverTest {
    private static final long BOUND_SECONDS = 10;
    private static final int PIPE = 4 * 1024;
    private static final int MESSAGE = 1024;

    /** A listener on in-memory streams and one connection accepted on it. */
    private record Pair(ConditionalListener listener, ParleyConnection client, ParleyConnection server)
            implements AutoCloseable {
        static Pair open(ConnectOptions client, ListenOptions server) throws Exception {
            MemoryStreamListener streams = new MemoryStreamListener(PIPE);
            ConditionalListener listener = new ConditionalListener(streams, server);
            CompletableFuture<ParleyConnection> connecting = connectAsync(streams.connect(), client);
            AcceptResult accepted = listener.accept(AcceptCondition.acceptAll(), Duration.ofSeconds(BOUND_SECONDS));
            assertThat(accepted).isInstanceOf(AcceptResult.Accepted.class);
            return new Pair(listener, connecting.get(BOUND_SECONDS, TimeUnit.SECONDS),
                    ((AcceptResult.Accepted) accepted).connection());
        }

        @Override
        public void close() throws IOException {
            client.abort("the test is over");
            server.abort("the test is over");
            listener.close();
        }
    }

    /** Runs the caller's handshake on {@code stream} on a virtual thread, while the test accepts. */
    private static CompletableFuture<ParleyConnection> connectAsync(MemoryStream stream, ConnectOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                byte[] callerData = options.callerData();
                byte[] firstMessage = options.firstMessage().orElse(null);
                ConnectionDriver.requireSendable(callerData, firstMessage);
                return ConnectionDriver.connect(stream, options, callerData, firstMessage,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS));
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    private static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends messages until one finds no room for 200 ms (the peer reads nothing); returns how many were sent. */
    private static int sendUntilStalled(ParleyConnection sender) throws IOException {
        for (int i = 0; i < 100_000; i++) {
            try {
                sender.send(ByteBuffer.allocate(MESSAGE).putInt(0, i));
            } catch (TimedOutException stalled) {
                return i;
            }
        }
        throw new AssertionError("the receiver's reading never paused");
    }

    private static ListenOptions stallingServer(Linger linger) {
        return ListenOptions.builder().settings(ConnectionSettings.DEFAULTS.withSendTimeout(Duration.ofMillis(200))
                .withBufferSizes(8 * 1024, 8 * 1024).withLinger(linger)).build();
    }

    private static final ConnectOptions SMALL_BUFFERS = ConnectOptions.builder()
            .settings(ConnectionSettings.DEFAULTS.withBufferSizes(8 * 1024, 8 * 1024)).build();

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d1_aLifecycleEndsGracefullyOnBothSidesWithEachSidesDisconnectData() throws Exception {
        try (Pair pair = Pair.open(ConnectOptions.defaults(), ListenOptions.defaults())) {
            pair.client().send("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(pair.server().receive(Duration.ofSeconds(BOUND_SECONDS))).asString(StandardCharsets.UTF_8)
                    .isEqualTo("hello");
            pair.client().sendDisconnect("7".getBytes(StandardCharsets.UTF_8));
            assertThat(pair.server().receive(Duration.ofSeconds(BOUND_SECONDS))).isNull();
            assertThat(pair.server().receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("7");
            pair.server().sendDisconnect("12".getBytes(StandardCharsets.UTF_8));
            pair.server().close(); // at once after the disconnect data: still delivered [L4]
            assertThat(pair.client().receive(Duration.ofSeconds(BOUND_SECONDS))).isNull();
            assertThat(pair.client().receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("12");
            pair.client().close();
            assertThat(result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aResetBehindUnreadMessagesIsReportedWithoutReadingThem() throws Exception {
        try (Pair pair = Pair.open(SMALL_BUFFERS, stallingServer(Linger.ABORTIVE))) {
            int sent = sendUntilStalled(pair.server());
            pair.server().close(); // linger 0: a reset [L2]
            CloseIndication indication = result(pair.client().closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(ByteBuffer.wrap(pair.client().receive(Duration.ofSeconds(BOUND_SECONDS))).getInt())
                    .as("the first of %d messages, still there to take", sent).isZero();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingAWaitingReceiveAbortsAndResetsTheTransport() throws Exception {
        try (Pair pair = Pair.open(ConnectOptions.defaults(), ListenOptions.defaults())) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread receiver = Thread.ofVirtual().start(() -> {
                try {
                    pair.client().receive();
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            while (receiver.getState() != Thread.State.WAITING && !failure.isDone()) {
                Thread.onSpinWait(); // bounded by the test's timeout
            }
            receiver.interrupt();
            assertThat(result(failure)).isInstanceOf(InterruptedIOException.class);
            assertThat(result(pair.client().termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(result(pair.server().closeIndication()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRefusedRequestsCallerLearnsTheReasonAndBothStreamsClose() throws Exception {
        MemoryStreamListener streams = new MemoryStreamListener(PIPE);
        try (ConditionalListener listener = new ConditionalListener(streams, ListenOptions.defaults())) {
            MemoryStream callerEnd = streams.connect();
            CompletableFuture<ParleyConnection> connecting = connectAsync(callerEnd, ConnectOptions.defaults());
            AcceptResult result = listener.accept(request -> Decision.reject(io.parley.ReasonCode.REFUSED,
                    "no".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(BOUND_SECONDS));
            assertThat(result).isInstanceOf(AcceptResult.Rejected.class);
            assertThat(connecting).failsWithin(Duration.ofSeconds(BOUND_SECONDS)).withThrowableThat()
                    .havingCause().isInstanceOf(io.parley.ConnectionRefusedException.class);
            while (!callerEnd.isClosed()) {
                Thread.onSpinWait(); // bounded by the test's timeout
            }
            assertThat(callerEnd.wasReset()).as("the caller closed gracefully, not by a reset").isFalse();
        }
    }
}
