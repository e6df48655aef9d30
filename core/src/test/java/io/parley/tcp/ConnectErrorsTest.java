package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.AddressFamilyNotSupportedException;
import io.parley.AddressInUseException;
import io.parley.AddressNotAvailableException;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.HostNotFoundException;
import io.parley.HostUnreachableException;
import io.parley.NetworkDownException;
import io.parley.NetworkUnreachableException;
import io.parley.NoBufferSpaceException;
import io.parley.NoListenerException;
import io.parley.Parley;
import io.parley.PermissionDeniedException;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.TooManyOpenFilesException;
import io.parley.UnsupportedProtocolException;
import io.parley.WinsockCoded;
import io.parley.WinsockError;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * WSAConnect's outcomes (C1, C3): connect returns only once accepted; reject, timeout, a non-Parley server,
 * a closed port and each failure of the transport connect that this machine can produce (unresolved,
 * unreachable, invalid or foreign addresses, a listener that never answers) fail with their own typed,
 * Winsock-coded exception. The failures it cannot produce are in {@code ConnectErrorsTableTest}.
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
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.defaults());
            Await.until("the request is queued", () -> f.listener.pendingCount() == 1);
            assertThat(client).as("connect must wait for the decision").isNotDone();
            f.track(f.listener.accept(request -> Decision.accept("now".getBytes(StandardCharsets.UTF_8))));
            assertThat(Await.result(client).calleeData()).asString(StandardCharsets.UTF_8).isEqualTo("now");
        }
    }

    /**
     * The connect's failure, checked to be {@code type} with {@code code}, its message naming the address and
     * keeping the system's own text (the message of its cause, where the JDK threw one).
     */
    private static <T extends IOException & WinsockCoded> T connectFails(SocketAddress address,
            ConnectOptions options, Class<T> type, WinsockError code) {
        Throwable thrown = catchThrowable(() -> Parley.tcp().connect(address, options));
        assertThat(thrown).isInstanceOf(type);
        T e = type.cast(thrown);
        assertThat(e.winsockError()).isEqualTo(code);
        assertThat(e.getMessage()).contains(address.toString());
        if (e.getCause() != null) {
            assertThat(e.getMessage()).contains(e.getCause().getMessage());
        }
        return e;
    }

    private static <T extends IOException & WinsockCoded> T connectFails(SocketAddress address, Class<T> type,
            WinsockError code) {
        return connectFails(address, ConnectOptions.defaults(), type, code);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aClosedPortGivesNoListener() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket server = rawServer()) {
            closed = addressOf(server);
        }
        NoListenerException e = connectFails(closed, NoListenerException.class, WinsockError.WSAECONNREFUSED);
        assertThat(e).isNotInstanceOf(ConnectionRefusedException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_anUnresolvedAddressGivesHostNotFound() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 1);
        HostNotFoundException e = connectFails(unresolved, HostNotFoundException.class,
                WinsockError.WSAHOST_NOT_FOUND);
        assertThat(e).hasMessageContaining("no-such-host.invalid");
    }

    /** Linux's TCP refuses a broadcast or multicast destination with ENETUNREACH, before sending anything. */
    @ParameterizedTest(name = "c3_aBroadcastOrMulticastDestinationGivesNetworkUnreachable[{0}]")
    @ValueSource(strings = {"255.255.255.255", "224.0.0.1", "239.255.0.1"})
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aBroadcastOrMulticastDestinationGivesNetworkUnreachable(String destination) {
        connectFails(new InetSocketAddress(destination, 7), NetworkUnreachableException.class,
                WinsockError.WSAENETUNREACH);
    }

    /**
     * Winsock's connect refuses the wildcard address with WSAEADDRNOTAVAIL; Linux would connect to this host,
     * where a listener on the wildcard address is ready to accept.
     */
    @ParameterizedTest(name = "c3_theWildcardAddressGivesAddressNotAvailable[{0}]")
    @ValueSource(strings = {"0.0.0.0", "::"})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_theWildcardAddressGivesAddressNotAvailable(String wildcard) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            connectFails(new InetSocketAddress(wildcard, server.getLocalPort()), AddressNotAvailableException.class,
                    WinsockError.WSAEADDRNOTAVAIL);
        }
    }

    /** Linux's TCP refuses an IPv6 link-local destination without a scope (an interface) with EINVAL. */
    @Test
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aLinkLocalAddressWithoutScopeGivesAddressNotAvailable() throws Exception {
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress("::1", 0));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 on this machine: " + e);
        }
        connectFails(new InetSocketAddress("fe80::1", 7), AddressNotAvailableException.class,
                WinsockError.WSAEADDRNOTAVAIL);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_anAddressOfAnotherFamilyGivesAddressFamilyNotSupported() {
        connectFails(UnixDomainSocketAddress.of("parley-c3.socket"), AddressFamilyNotSupportedException.class,
                WinsockError.WSAEAFNOSUPPORT);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "relies on Linux dropping SYNs to a full accept queue")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_theTransportConnectTimeoutGivesTimedOut() throws Exception {
        try (FullBacklog silent = new FullBacklog()) {
            long start = System.nanoTime();
            TimedOutException e = connectFails(silent.address(),
                    ConnectOptions.builder().connectTimeout(Duration.ofMillis(300)).build(),
                    TimedOutException.class, WinsockError.WSAETIMEDOUT);
            assertThat(e).as("the TCP connect timed out, not the wait for a decision")
                    .hasCauseInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        }
    }

    /** As in the wait for the decision, an interrupt during the TCP connect is an InterruptedIOException. */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "relies on Linux dropping SYNs to a full accept queue")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptedTransportConnectGivesInterruptedIoException() throws Exception {
        try (FullBacklog silent = new FullBacklog()) {
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    Parley.tcp().connect(silent.address(), ConnectOptions.defaults()).close();
                    stillInterrupted.completeExceptionally(new AssertionError("connected"));
                } catch (IOException e) {
                    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                        stillInterrupted.complete(Thread.currentThread().isInterrupted());
                    } else {
                        stillInterrupted.completeExceptionally(e);
                    }
                }
            });
            assertThat(Await.result(stillInterrupted)).as("the interrupt status is kept").isTrue();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c3_aRejectGivesConnectionRefusedWithTheReason() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(r -> Decision.reject("go away"), Await.BOUND))
                    .isInstanceOf(AcceptResult.Rejected.class);
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
            CompletableFuture<ParleyConnection> client = CompletableFuture.supplyAsync(() -> {
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
    void theConnectFailuresAreDistinctTypes() {
        List<Class<? extends IOException>> types = List.of(NoListenerException.class,
                ConnectionRefusedException.class, TimedOutException.class, UnsupportedProtocolException.class,
                HostNotFoundException.class, NetworkUnreachableException.class, HostUnreachableException.class,
                NetworkDownException.class, AddressNotAvailableException.class, AddressInUseException.class,
                PermissionDeniedException.class, AddressFamilyNotSupportedException.class,
                NoBufferSpaceException.class, TooManyOpenFilesException.class);
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
