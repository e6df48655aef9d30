package io.parley.tcp;

import io.parley.ConnectOptions;
import io.parley.Connection;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.NoListenerException;
import io.parley.Parley;
import io.parley.ReasonCode;
import io.parley.RequestRejectedException;
import io.parley.TimedOutException;
import io.parley.UnsupportedProtocolException;
import io.parley.WinsockCoded;
import io.parley.WinsockError;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WSAConnect's outcomes (C1, C3): connect returns only once accepted; reject, timeout, a non-Parley server
 * and a closed port each fail with their own typed, Winsock-coded exception.
 */
class ConnectErrorsTest {

    private static ServerSocket rawServer() throws IOException {
        return new ServerSocket(0, 50, LoopbackFixture.LOOPBACK);
    }

    private static InetSocketAddress addressOf(ServerSocket server) {
        return new InetSocketAddress(LoopbackFixture.LOOPBACK, server.getLocalPort());
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c1_connectReturnsOnlyAfterTheCalleeAccepted() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<Connection> client = f.connectAsync(ConnectOptions.defaults());
            Await.until("the request is queued", () -> f.listener.pendingCount() == 1);
            assertThat(client).as("connect must wait for the decision").isNotDone();
            f.track(f.listener.accept(request -> Decision.accept("now".getBytes(StandardCharsets.UTF_8))));
            assertThat(Await.result(client).calleeData()).asString(StandardCharsets.UTF_8).isEqualTo("now");
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aClosedPortGivesNoListener() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket server = rawServer()) {
            closed = addressOf(server);
        }
        assertThatThrownBy(() -> Parley.tcp().connect(closed, ConnectOptions.defaults()))
                .isInstanceOfSatisfying(NoListenerException.class,
                        e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED))
                .isNotInstanceOf(ConnectionRefusedException.class);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aRejectGivesConnectionRefusedWithTheReason() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<Connection> client = f.connectAsync(ConnectOptions.defaults());
            assertThatThrownBy(() -> f.listener.accept(r -> Decision.reject("go away"), Await.BOUND))
                    .isInstanceOf(RequestRejectedException.class);
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reasonText()).isEqualTo("go away");
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
            });
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_noDecisionInTimeGivesTimedOut() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> f.connect(ConnectOptions.builder().connectTimeout(Duration.ofMillis(300)).build()))
                    .isInstanceOfSatisfying(TimedOutException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aSilentServerGivesTimedOutAndHearsTheWithdrawal() throws Exception {
        try (ServerSocket server = rawServer()) {
            CompletableFuture<Connection> client = CompletableFuture.supplyAsync(() -> {
                try {
                    return Parley.tcp().connect(addressOf(server), ConnectOptions.builder()
                            .connectTimeout(Duration.ofMillis(300)).build());
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            try (RawPeer callee = RawPeer.accept(server)) {
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Preamble.class);
                assertThat(callee.nextFrame()).isInstanceOf(Frame.Connect.class);
                assertThat(Await.failure(client)).isInstanceOf(TimedOutException.class);
                assertThat(callee.nextFrame()).isInstanceOfSatisfying(Frame.Abort.class,
                        a -> assertThat(a.reason()).isEqualTo(ReasonCode.WITHDRAWN));
            }
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aNonParleyServerGivesUnsupportedProtocol() throws Exception {
        try (ServerSocket server = rawServer()) {
            Thread http = Thread.ofVirtual().start(() -> {
                try (RawPeer callee = RawPeer.accept(server)) {
                    callee.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    callee.awaitEnd();
                } catch (IOException | AssertionError e) {
                    // the test below fails if the exchange did not happen
                }
            });
            assertThatThrownBy(() -> Parley.tcp().connect(addressOf(server), ConnectOptions.defaults()))
                    .isInstanceOfSatisfying(UnsupportedProtocolException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEPROTONOSUPPORT));
            http.join(Await.BOUND);
        }
    }

    @Test
    @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theFourConnectFailuresAreDistinctTypes() {
        List<Class<? extends IOException>> types = List.of(NoListenerException.class,
                ConnectionRefusedException.class, TimedOutException.class, UnsupportedProtocolException.class);
        for (Class<? extends IOException> a : types) {
            assertThat(WinsockCoded.class).isAssignableFrom(a);
            for (Class<? extends IOException> b : types) {
                if (a != b) {
                    assertThat(a.isAssignableFrom(b)).as("%s is not a %s", b, a).isFalse();
                }
            }
        }
    }
}
