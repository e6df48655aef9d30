package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.ShutdownException;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WSASendDisconnect and WSARecvDisconnect (D1–D4): half-close with data, the end-of-messages indication,
 * and receive-disconnect before and after the peer's disconnect arrived.
 */
class DisconnectTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d1_aSendAfterSendDisconnectFailsWithShutdown() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().sendDisconnect(utf8("bye"));
            assertThatThrownBy(() -> pair.client().send(utf8("late")))
                    .isInstanceOfSatisfying(ShutdownException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAESHUTDOWN));
            assertThatThrownBy(() -> pair.client().sendDisconnect(utf8("again")))
                    .isInstanceOf(ShutdownException.class);
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("bye"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d1_thePeerGoesOnSendingAfterOurDisconnectAndWeGoOnReceiving() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().sendDisconnect(utf8("done asking"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            for (int i = 0; i < 100; i++) {
                pair.server().send(ByteBuffer.allocate(4).putInt(i).array());
            }
            pair.server().sendDisconnect(utf8("done answering"));
            for (int i = 0; i < 100; i++) {
                assertThat(ByteBuffer.wrap(pair.client().receive(Await.BOUND)).getInt()).isEqualTo(i);
            }
            assertThat(pair.client().receive(Await.BOUND)).isNull();
            assertThat(pair.client().receiveDisconnect()).isEqualTo(utf8("done answering"));
            assertThat(Await.result(pair.client().termination())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(Await.result(pair.server().termination())).isEqualTo(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d2_receiveReportsTheEndOfMessagesOnlyAfterEveryMessageAndKeepsReportingIt() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().send(utf8("one"));
            pair.client().send(utf8("two"));
            pair.client().sendDisconnect(utf8("total=2"));
            assertThat(Await.result(pair.server().closeIndication())).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("one"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("two"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receive(Await.BOUND)).as("recv()==0 again").isNull();
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("total=2"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d3_receiveDisconnectBeforeThePeersDisconnectWouldBlockAndChangesNothing() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            assertThatThrownBy(() -> pair.server().receiveDisconnect())
                    .isInstanceOfSatisfying(WouldBlockException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEWOULDBLOCK));
            // Receiving goes on and nothing that arrives later is lost (our documented choice for D3).
            pair.client().send(utf8("after"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("after"));
            pair.server().send(utf8("reply"));
            assertThat(pair.client().receive(Await.BOUND)).isEqualTo(utf8("reply"));
            pair.client().sendDisconnect(utf8("end"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("end"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d3_receiveDisconnectWithMessagesStillUnreadWouldBlockAndLosesNone() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().send(utf8("unread"));
            pair.client().sendDisconnect(utf8("end"));
            Await.result(pair.server().closeIndication());
            assertThatThrownBy(() -> pair.server().receiveDisconnect()).isInstanceOf(WouldBlockException.class)
                    .hasMessageContaining("unread");
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("unread"));
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("end"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d3_afterReceiveDisconnectReceivingIsShutDown() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair();
            pair.client().sendDisconnect(utf8("end"));
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receiveDisconnect()).isEqualTo(utf8("end"));
            assertThatThrownBy(() -> pair.server().receive()).isInstanceOfSatisfying(ShutdownException.class,
                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAESHUTDOWN));
            assertThatThrownBy(() -> pair.server().receiveDisconnect()).isInstanceOf(ShutdownException.class);
            // D4: neither call freed the connection: sending still works.
            pair.server().send(utf8("still open"));
            assertThat(pair.client().receive(Await.BOUND)).isEqualTo(utf8("still open"));
        }
    }

    /**
     * The seed's reference scenario: each client sends its transaction total with its disconnect; the server
     * reads it with receive-disconnect, adds it up, answers with the grand total in its own disconnect and
     * closes at once (5A, L4); each client reads the grand total after its close indication.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void referenceScenarioRunningTotalOverSeveralClients() throws Exception {
        int clients = 20;
        try (LoopbackFixture f = new LoopbackFixture()) {
            AtomicLong grandTotal = new AtomicLong();
            CompletableFuture<Void> server = f.async(() -> {
                for (int i = 0; i < clients; i++) {
                    ParleyConnection c = f.track(f.listener.accept(request -> Decision.accept()));
                    assertThat(Await.result(c.closeIndication())).isEqualTo(CloseIndication.GRACEFUL); // (2) FD_CLOSE
                    assertThat(c.receive(Await.BOUND)).isNull();                                        // (2) recv 0
                    long total = ByteBuffer.wrap(c.receiveDisconnect()).getLong();                       // (3)
                    long sum = grandTotal.addAndGet(total);                                              // (4)
                    c.sendDisconnect(ByteBuffer.allocate(8).putLong(sum).array());                       // (5)
                    c.close();                                                                           // (5A)
                }
                return null;
            });
            long expected = 0;
            List<Long> answers = new ArrayList<>();
            for (int i = 1; i <= clients; i++) {
                ParleyConnection c = f.connect(ConnectOptions.defaults());
                c.sendDisconnect(ByteBuffer.allocate(8).putLong(i * 100L).array());                      // (1)
                assertThat(Await.result(c.closeIndication())).isEqualTo(CloseIndication.GRACEFUL);       // (6)
                assertThat(c.receive(Await.BOUND)).isNull();
                answers.add(ByteBuffer.wrap(c.receiveDisconnect()).getLong());                           // (7)
                c.close();                                                                               // (8)
                assertThat(Await.result(c.termination())).isEqualTo(CloseIndication.GRACEFUL);
                expected += i * 100L;
                assertThat(answers.getLast()).isEqualTo(expected);
            }
            Await.result(server);
        }
    }

    /**
     * D2 with the acknowledged end (protocol 4.8): the DISCONNECT_ACK for a peer that disconnected first
     * waits for this side's answer to leave in the same write, but never for the application: one that
     * does not answer at all still acknowledges, and one that answers sends the acknowledgement first.
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d2_thePeersDisconnectIsAcknowledgedWhetherOrNotThisSideAnswers() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(); RawPeer silent = RawPeer.connect(f.address());
             RawPeer answered = RawPeer.connect(f.address())) {
            silent.write(RawPeer.request(new byte[0]));
            ParleyConnection quiet = f.track(f.listener.accept(r -> Decision.accept(), Await.BOUND));
            assertThat(silent.nextNonPreamble()).isInstanceOf(io.parley.protocol.Frame.Accept.class);
            silent.write(RawPeer.disconnect(utf8("7")));
            assertThat(silent.nextFrame()).as("acknowledged though the application never answers")
                    .isInstanceOf(io.parley.protocol.Frame.DisconnectAck.class);
            assertThat(quiet.closeIndication().get()).isEqualTo(CloseIndication.GRACEFUL);

            answered.write(RawPeer.request(new byte[0]));
            ParleyConnection server = f.track(f.listener.accept(r -> Decision.accept(), Await.BOUND));
            assertThat(answered.nextNonPreamble()).isInstanceOf(io.parley.protocol.Frame.Accept.class);
            answered.write(RawPeer.disconnect(utf8("8")));
            assertThat(server.receive(Await.BOUND)).isNull();
            assertThat(server.receiveDisconnect()).isEqualTo(utf8("8"));
            server.sendDisconnect(utf8("15"));
            assertThat(answered.nextFrame()).isInstanceOf(io.parley.protocol.Frame.DisconnectAck.class);
            assertThat(answered.nextFrame()).isInstanceOfSatisfying(io.parley.protocol.Frame.Disconnect.class,
                    d -> assertThat(d.data()).isEqualTo(utf8("15")));
        }
    }
}
