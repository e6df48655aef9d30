package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionAbortedException;
import io.parley.ConnectionEndedException;
import io.parley.ConnectionResetException;
import io.parley.Parley;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The close indication (FD_CLOSE, E2) and how a connection ended: graceful only when the peer's disconnect
 * arrived; a peer whose transport closes or resets without a disconnect, a peer's abort, and a protocol
 * violation are reported as aborted or reset, never as graceful. Raw sockets play the misbehaving peers.
 */
class AbortDetectionTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A Parley caller connected to a raw callee that accepted by hand. */
    private record CallerAndRawCallee(ParleyConnection caller, RawPeer callee) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            caller.close();
            callee.close();
        }
    }

    private static CallerAndRawCallee callerWithRawCallee(ServerSocket server) throws Exception {
        InetSocketAddress address = new InetSocketAddress(LoopbackFixture.LOOPBACK, server.getLocalPort());
        CompletableFuture<ParleyConnection> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return Parley.tcp().connect(address, ConnectOptions.defaults());
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        RawPeer callee = RawPeer.accept(server);
        assertThat(callee.nextFrame()).isInstanceOf(Frame.Preamble.class);
        assertThat(callee.nextFrame()).isInstanceOf(Frame.Connect.class);
        callee.write(RawPeer.acceptAnswer());
        return new CallerAndRawCallee(Await.result(caller), callee);
    }

    /** A Parley callee (accepted by the fixture's listener) and the raw caller whose request it accepted. */
    private static ParleyConnection acceptRaw(LoopbackFixture f, RawPeer caller) throws Exception {
        caller.write(RawPeer.request(new byte[0]));
        ParleyConnection server = f.track(f.listener.accept(r -> io.parley.Decision.accept(), Await.BOUND));
        assertThat(caller.nextFrame()).isInstanceOf(Frame.Preamble.class);
        assertThat(caller.nextFrame()).isInstanceOf(Frame.Accept.class);
        return server;
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_theCloseIndicationCompletesGracefullyWithoutReadingAndMessagesStayReadable() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            CopyOnWriteArrayList<CloseIndication> notified = new CopyOnWriteArrayList<>();
            pair.server().closeIndication().thenAccept(notified::add);
            pair.client().send(utf8("a"));
            pair.client().send(utf8("b"));
            pair.client().sendDisconnect(utf8("end"));
            CloseIndication indication = Await.result(pair.server().closeIndication());
            assertThat(indication).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.NO_ERROR);
            Await.until("the subscriber was told", () -> notified.size() == 1);
            assertThat(notified).containsExactly(CloseIndication.GRACEFUL);
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("a"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("b"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aPeersAbortIsSeenAsAResetWithItsReason() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().abort("enough");
            CloseIndication indication = Await.result(pair.server().closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(indication.reason()).isEqualTo(ReasonCode.APPLICATION_ABORT);
            assertThat(indication.detail()).isEqualTo("enough");
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            assertThatThrownBy(() -> pair.server().receive(Await.BOUND))
                    .isInstanceOfSatisfying(ConnectionResetException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNRESET));
            assertThatThrownBy(() -> pair.server().send(utf8("x"))).isInstanceOf(ConnectionEndedException.class);
            assertThat(Await.result(pair.client().termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aCalleeWhoseTransportClosesWithoutADisconnectIsSeenAsAborted() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK);
             CallerAndRawCallee pair = callerWithRawCallee(server)) {
            pair.callee().write(RawPeer.concat(RawPeer.data(utf8("one")), RawPeer.data(utf8("two"))));
            pair.callee().shutdownOutput();
            CloseIndication indication = Await.result(pair.caller().closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(indication.reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNABORTED);
            // The messages that did arrive are delivered; then the end is reported as an abort, never as recv 0.
            assertThat(pair.caller().receive(Await.BOUND)).isEqualTo(utf8("one"));
            assertThat(pair.caller().receive(Await.BOUND)).isEqualTo(utf8("two"));
            assertThatThrownBy(() -> pair.caller().receive(Await.BOUND))
                    .isInstanceOfSatisfying(ConnectionAbortedException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNABORTED));
            assertThat(Await.result(pair.caller().termination()).isGraceful()).isFalse();
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aCalleeWhoseTransportIsResetIsSeenAsReset() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK);
             CallerAndRawCallee pair = callerWithRawCallee(server)) {
            pair.callee().reset();
            CloseIndication indication = Await.result(pair.caller().closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            assertThatThrownBy(() -> pair.caller().receive(Await.BOUND)).isInstanceOf(ConnectionResetException.class);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aCallerWhoseTransportClosesWithoutADisconnectIsSeenAsAborted() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer caller = RawPeer.connect(f.address())) {
            ParleyConnection server = acceptRaw(f, caller);
            caller.shutdownOutput();
            CloseIndication indication = Await.result(server.closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNABORTED);
            assertThatThrownBy(() -> server.receive(Await.BOUND)).isInstanceOf(ConnectionAbortedException.class);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aCallerWhoseTransportIsResetIsSeenAsReset() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer caller = RawPeer.connect(f.address())) {
            ParleyConnection server = acceptRaw(f, caller);
            caller.reset();
            CloseIndication indication = Await.result(server.closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(Await.result(server.termination()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aTransportLostAfterOurDisconnectIsNeverGraceful() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK);
             CallerAndRawCallee pair = callerWithRawCallee(server)) {
            pair.caller().sendDisconnect(utf8("mine"));
            assertThat(pair.callee().nextFrame()).isInstanceOfSatisfying(Frame.Disconnect.class,
                    d -> assertThat(d.data()).isEqualTo(utf8("mine")));
            pair.callee().shutdownOutput();
            assertThat(Await.result(pair.caller().closeIndication()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(Await.result(pair.caller().termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThatThrownBy(() -> pair.caller().receiveDisconnect()).isInstanceOf(ConnectionAbortedException.class);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aProtocolViolationAbortsWithAReasonThePeerIsTold() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer caller = RawPeer.connect(f.address())) {
            ParleyConnection server = acceptRaw(f, caller);
            caller.write(new byte[] {0x05, 0, 0, 0}); // frame type 0x05 is not defined and not ignorable
            CloseIndication indication = Await.result(server.closeIndication());
            assertThat(indication.kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(indication.reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(indication.winsockError()).isEqualTo(WinsockError.WSAECONNABORTED);
            assertThat(caller.nextFrame()).isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void e2_aPeerThatEndsItsTransportRightAfterItsDisconnectDeliversEverythingButCannotConfirmTheEnd()
            throws Exception {
        try (LoopbackFixture f = new LoopbackFixture();
             RawPeer caller = RawPeer.connect(f.address())) {
            ParleyConnection server = acceptRaw(f, caller);
            caller.write(RawPeer.concat(RawPeer.data(utf8("last")), RawPeer.disconnect(utf8("bye"))));
            caller.shutdownOutput();
            assertThat(Await.result(server.closeIndication())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(server.receive(Await.BOUND)).isEqualTo(utf8("last"));
            assertThat(server.receive(Await.BOUND)).isNull();
            assertThat(server.receiveDisconnect()).isEqualTo(utf8("bye"));
            // Its disconnect was acknowledged at once; but a peer that ended its transport cannot acknowledge
            // ours (docs/protocol.md 4.8, 7.4): the whole end is never graceful.
            server.close();
            assertThat(caller.nextFrame()).isInstanceOf(Frame.DisconnectAck.class);
            assertThat(caller.awaitEnd()).isEqualTo(RawPeer.End.EOF);
            CloseIndication termination = Await.result(server.termination());
            assertThat(termination.kind()).isIn(CloseIndication.Kind.ABORTED, CloseIndication.Kind.UNCONFIRMED);
            assertThat(termination.reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
        }
    }
}
