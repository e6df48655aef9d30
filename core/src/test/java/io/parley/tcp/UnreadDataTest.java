package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionSettings;
import io.parley.Linger;
import io.parley.ListenOptions;
import io.parley.ParleyConnection;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close indication (FD_CLOSE, E2) does not wait on the application: while the application leaves
 * megabytes unread, which pauses reading the transport, the peer's reset is still reported. A graceful
 * disconnect behind unread messages is reported once they are read (as Winsock expects the application to
 * read what remains, D2), so the pattern "receive until null, then receiveDisconnect" never waits forever.
 */
class UnreadDataTest {
    private static final int MESSAGE = 64 * 1024;
    /** Enough to fill every buffer between the two applications many times over. */
    private static final int MAX_MESSAGES = 4_096;
    private static final Duration STALL = Duration.ofMillis(300);

    /** The server's settings: a send that finds no room for {@link #STALL} fails instead of waiting. */
    private static ListenOptions stallingSender(Linger linger) {
        return ListenOptions.builder().settings(ConnectionSettings.DEFAULTS.withSendTimeout(STALL)
                .withLinger(linger)).build();
    }

    /**
     * Sends numbered messages until one finds no room (the peer's application reads nothing, so everything
     * between the two fills up); returns how many were sent.
     */
    private static int sendUntilStalled(ParleyConnection sender) throws IOException {
        for (int i = 0; i < MAX_MESSAGES; i++) {
            try {
                sender.send(ByteBuffer.allocate(MESSAGE).putInt(0, i));
            } catch (TimedOutException stalled) {
                return i;
            }
        }
        throw new AssertionError(MAX_MESSAGES + " messages of " + MESSAGE + " bytes were sent to a peer that reads"
                + " nothing: its reading never paused");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aPeersResetIsReportedWhileMegabytesStayUnread() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(stallingSender(Linger.ABORTIVE))) {
            LoopbackFixture.Pair pair = f.pair();
            int sent = sendUntilStalled(pair.server());
            assertThat((long) sent * MESSAGE).as("bytes left unread").isGreaterThan(
                    ConnectionSettings.DEFAULTS.receiveBufferSize());

            long start = System.nanoTime();
            pair.server().close(); // linger 0: the client's transport is reset [L2]
            CloseIndication indication = pair.client().closeIndication().get(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            System.out.printf("UnreadDataTest: reset reported %d ms after it, with %d KiB unread%n",
                    millis, (long) sent * MESSAGE / 1024);
            // What arrived before the reset is still there to take, in order [D3: nothing lost silently].
            assertThat(ByteBuffer.wrap(pair.client().receive(Await.BOUND)).getInt()).isZero();
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d2_aGracefulDisconnectBehindUnreadMessagesIsReachedByReadingThem() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(stallingSender(Linger.DONT_LINGER))) {
            LoopbackFixture.Pair pair = f.pair();
            int sent = sendUntilStalled(pair.server());
            pair.server().sendDisconnect("total".getBytes(StandardCharsets.UTF_8));
            pair.server().close();

            int received = 0;
            byte[] message;
            while (received <= sent && (message = pair.client().receive(Await.BOUND)) != null) {
                assertThat(ByteBuffer.wrap(message).getInt()).as("message %d", received).isEqualTo(received);
                received++;
            }
            assertThat(received).isEqualTo(sent);
            assertThat(pair.client().closeIndication()).isCompletedWithValue(CloseIndication.GRACEFUL);
            assertThat(new String(pair.client().receiveDisconnect(), StandardCharsets.UTF_8)).isEqualTo("total");
            pair.client().close();
            assertThat(pair.server().termination().get(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(CloseIndication.GRACEFUL);
        }
    }
}
