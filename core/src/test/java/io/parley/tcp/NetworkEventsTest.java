package io.parley.tcp;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.NoListenerException;
import io.parley.ParleyConnection;
import io.parley.Parley;
import io.parley.PendingConnect;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event model over real TCP on 127.0.0.1: FD_ACCEPT, FD_CONNECT, FD_READ, FD_WRITE and FD_CLOSE with
 * their error codes, recorded and re-enabled as WSAEventSelect does [E1–E4, C4]. Every wait is for an event
 * the test made happen, bounded by {@link Await#BOUND}.
 */
@Timeout(60)
class NetworkEventsTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    private LoopbackFixture fixture;
    private EventWaiter waiter;

    @BeforeEach
    void open() throws Exception {
        fixture = new LoopbackFixture();
        waiter = fixture.track(EventWaiter.open());
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** Waits for {@code key} to be ready and takes its events. */
    private NetworkEvents next(EventKey key) throws Exception {
        long deadline = System.nanoTime() + Await.BOUND.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (waiter.await(Await.BOUND).contains(key)) {
                return key.takeEvents();
            }
        }
        throw new AssertionError("no events for " + key + " within " + Await.BOUND.toMillis() + " ms");
    }

    @Test
    void readIsRecordedForAMessageAndAgainAfterAReceiveThatLeavesOneBehind() throws Exception { // E1, E3
        LoopbackFixture.Pair pair = fixture.pair();
        pair.server().configureBlocking(false);
        EventKey key = waiter.register(pair.server(), EnumSet.of(NetworkEvent.READ), "server");
        assertThat(waiter.poll()).isEmpty();

        pair.client().send("one".getBytes(StandardCharsets.UTF_8));
        pair.client().send("two".getBytes(StandardCharsets.UTF_8));

        assertThat(next(key).events()).containsExactly(NetworkEvent.READ);
        assertThat(new String(pair.server().receive(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(next(key).events()).containsExactly(NetworkEvent.READ); // re-enabled by the receive
        assertThat(new String(pair.server().receive(), StandardCharsets.UTF_8)).isEqualTo("two");

        assertThat(waiter.poll()).isEmpty();
        assertThatThrownBy(() -> pair.server().receive()).isInstanceOf(WouldBlockException.class)
                .satisfies(e -> assertThat(((WouldBlockException) e).winsockError()).isEqualTo(WinsockError.WSAEWOULDBLOCK));
        assertThat(key.attachment()).isEqualTo("server");
        assertThat(key.source()).isSameAs(pair.server());
    }

    @Test
    void writeIsRecordedWhenOpenAndAgainOnlyWhenRoomReturnsAfterASendThatWouldBlock() throws Exception { // E1, E3
        ConnectionSettings small = ConnectionSettings.DEFAULTS.withBufferSizes(16 * 1024, 16 * 1024);
        LoopbackFixture.Pair pair = fixture.pair(ConnectOptions.builder().settings(small).build(),
                AcceptCondition.acceptAll());
        ParleyConnection client = pair.client();
        client.configureBlocking(false);
        EventKey key = waiter.register(client, EnumSet.of(NetworkEvent.WRITE), null);
        assertThat(next(key).events()).containsExactly(NetworkEvent.WRITE);
        client.send(HELLO);
        assertThat(waiter.poll()).as("a send that did not block re-enables nothing").isEmpty();

        byte[] chunk = new byte[32 * 1024];
        int sent = 0;
        while (true) { // the server reads nothing: the kernel's buffers fill, then the send buffer
            try {
                client.send(chunk);
                sent++;
            } catch (WouldBlockException full) {
                break;
            }
            assertThat(sent).as("sends before the send buffer filled").isLessThan(10_000);
        }

        CompletableFuture<Integer> drained = fixture.async(() -> {
            int received = 0;
            while (pair.server().receive() != null) {
                received++;
            }
            return received;
        });
        assertThat(next(key).events()).containsExactly(NetworkEvent.WRITE);
        client.send(chunk);
        client.sendDisconnect(new byte[0]);
        assertThat(Await.result(drained)).isEqualTo(sent + 2);
    }

    @Test
    void closeOfAGracefulDisconnectComesOnceEveryMessageBeforeItWasReceived() throws Exception { // E2, D2
        LoopbackFixture.Pair pair = fixture.pair();
        ParleyConnection server = pair.server();
        server.configureBlocking(false);
        EventKey key = waiter.register(server, EnumSet.of(NetworkEvent.READ, NetworkEvent.CLOSE), null);

        pair.client().send(HELLO);
        pair.client().sendDisconnect("42".getBytes(StandardCharsets.UTF_8));

        NetworkEvents first = next(key);
        assertThat(first.events()).containsExactly(NetworkEvent.READ); // the message is still unread
        assertThatThrownBy(server::receiveDisconnect).isInstanceOf(WouldBlockException.class);
        assertThat(server.receive()).isEqualTo(HELLO);

        NetworkEvents second = next(key);
        assertThat(second.events()).containsExactly(NetworkEvent.CLOSE);
        assertThat(second.error(NetworkEvent.CLOSE)).isEqualTo(WinsockError.NO_ERROR);
        assertThat(server.receiveDisconnect()).isEqualTo("42".getBytes(StandardCharsets.UTF_8));
        assertThat(waiter.poll()).isEmpty(); // FD_CLOSE is reported once
    }

    @Test
    void closeOfAResetCarriesWsaeconnresetAtOnceWhateverIsUnread() throws Exception { // E2
        LoopbackFixture.Pair pair = fixture.pair();
        EventKey key = waiter.register(pair.server(), EnumSet.of(NetworkEvent.CLOSE), null);

        pair.client().abort("gone");

        NetworkEvents events = next(key);
        assertThat(events.events()).containsExactly(NetworkEvent.CLOSE);
        assertThat(events.error(NetworkEvent.CLOSE)).isEqualTo(WinsockError.WSAECONNRESET);
    }

    @Test
    void closingARegisteredConnectionOrListenerEndsItsRegistration() throws Exception {
        LoopbackFixture.Pair pair = fixture.pair();
        EventKey connection = waiter.register(pair.server(), EnumSet.of(NetworkEvent.READ, NetworkEvent.CLOSE), null);
        EventKey listener = waiter.register(fixture.listener, null);

        pair.server().close();
        fixture.listener.close();
        assertThat(connection.isValid()).isFalse();
        assertThat(listener.isValid()).isFalse();

        assertThat(Await.result(pair.client().closeIndication()).isGraceful()).isTrue();
        pair.client().close(); // the server's end of the connection now ends too, unreported
        assertThat(Await.result(pair.client().termination()).isGraceful()).isTrue();
        assertThat(waiter.poll()).as("a closed source reports nothing").isEmpty();
    }

    @Test
    void aClosedSourceTakesNoRegistrationAndACancelledConnectEndsItsKey() throws Exception {
        LoopbackFixture.Pair pair = fixture.pair();
        pair.server().close();
        assertThatThrownBy(() -> waiter.register(pair.server(), EnumSet.of(NetworkEvent.READ), null))
                .isInstanceOf(io.parley.ClosedException.class);

        PendingConnect pending = Parley.tcp().startConnect(fixture.address(), ConnectOptions.defaults());
        EventKey key = waiter.register(pending, null);
        pending.cancel();
        assertThat(key.isValid()).isFalse();
        assertThatThrownBy(() -> waiter.register(pending, null)).isInstanceOf(io.parley.ClosedException.class);
    }

    @Test
    void aNonBlockingListenerAcceptsNonBlockingConnections() throws Exception {
        fixture.listener.configureBlocking(false);
        CompletableFuture<ParleyConnection> caller = fixture.connectAsync(ConnectOptions.defaults());
        Await.until("the request queued", () -> fixture.listener.pendingCount() == 1);

        ParleyConnection accepted = fixture.track(LoopbackFixture.accepted(
                fixture.listener.accept(AcceptCondition.acceptAll())));

        assertThat(accepted.isBlocking()).isFalse();
        assertThat(Await.result(caller).isBlocking()).isTrue();
    }

    @Test
    void acceptIsRecordedForAPendingRequestAndAgainAfterAnAcceptWhileAnotherWaits() throws Exception { // E1, E3
        fixture.listener.configureBlocking(false);
        EventKey key = waiter.register(fixture.listener, "listener");
        assertThatThrownBy(() -> fixture.listener.accept(AcceptCondition.acceptAll()))
                .isInstanceOf(WouldBlockException.class);

        CompletableFuture<ParleyConnection> first = fixture.connectAsync(ConnectOptions.defaults());
        assertThat(next(key).events()).containsExactly(NetworkEvent.ACCEPT);
        CompletableFuture<ParleyConnection> second = fixture.connectAsync(ConnectOptions.defaults());
        Await.until("both requests queued", () -> fixture.listener.pendingCount() == 2);
        assertThat(waiter.poll()).isEmpty(); // not re-enabled: no accept since

        fixture.track(fixture.listener.accept(AcceptCondition.acceptAll()));
        assertThat(next(key).events()).containsExactly(NetworkEvent.ACCEPT); // one still waits
        fixture.track(fixture.listener.accept(AcceptCondition.acceptAll()));
        assertThat(waiter.poll()).isEmpty();
        assertThat(Await.result(first)).isNotNull();
        assertThat(Await.result(second)).isNotNull();
    }

    @Test
    void aDeferredRequestIsReportedAgainAfterTheAcceptThatDeferredIt() throws Exception { // A5, E3
        fixture.listener.configureBlocking(false);
        EventKey key = waiter.register(fixture.listener, null);
        CompletableFuture<ParleyConnection> caller = fixture.connectAsync(ConnectOptions.defaults());
        next(key);

        assertThat(fixture.listener.accept(request -> Decision.defer())).isInstanceOf(AcceptResult.Deferred.class);
        assertThat(next(key).events()).containsExactly(NetworkEvent.ACCEPT);
        fixture.track(fixture.listener.accept(AcceptCondition.acceptAll()));
        assertThat(Await.result(caller)).isNotNull();
    }

    @Test
    void connectIsRecordedOnceTheCalleeAcceptedAndTheConnectionIsReady() throws Exception { // C4, C1
        PendingConnect pending = Parley.tcp().startConnect(fixture.address(), ConnectOptions.defaults());
        EventKey key = waiter.register(pending, null);
        assertThat(pending.isDone()).isFalse(); // nobody accepted yet
        assertThatThrownBy(pending::finish).isInstanceOf(WouldBlockException.class);

        fixture.track(fixture.listener.accept(request -> Decision.accept(HELLO), Await.BOUND));

        NetworkEvents events = next(key);
        assertThat(events.events()).containsExactly(NetworkEvent.CONNECT);
        assertThat(events.error(NetworkEvent.CONNECT)).isEqualTo(WinsockError.NO_ERROR);
        ParleyConnection connection = fixture.track(pending.finish());
        assertThat(connection.calleeData()).isEqualTo(HELLO);
        assertThat(pending.finish()).isSameAs(connection);
    }

    @Test
    void connectCarriesTheRefusalsErrorCodeAndFinishThrowsTheRefusal() throws Exception { // C4, A4
        PendingConnect pending = Parley.tcp().startConnect(fixture.address(), ConnectOptions.defaults());
        EventKey key = waiter.register(pending, null);
        fixture.listener.accept(request -> Decision.reject(ReasonCode.REFUSED, HELLO), Await.BOUND);

        assertThat(next(key).error(NetworkEvent.CONNECT)).isEqualTo(WinsockError.WSAECONNREFUSED);
        assertThatThrownBy(pending::finish).isInstanceOf(ConnectionRefusedException.class);
    }

    @Test
    void connectToNothingListeningCarriesItsErrorCode() throws Exception { // C3, C4
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, LoopbackFixture.LOOPBACK)) {
            closed = new InetSocketAddress(LoopbackFixture.LOOPBACK, socket.getLocalPort());
        }
        PendingConnect pending = Parley.tcp().startConnect(closed, ConnectOptions.defaults());
        EventKey key = waiter.register(pending, null);

        assertThat(next(key).error(NetworkEvent.CONNECT)).isEqualTo(WinsockError.WSAECONNREFUSED);
        assertThatThrownBy(pending::finish).isInstanceOf(NoListenerException.class);
    }

    @Test
    void aCancelledConnectIsWithdrawnAndTheCalleeReportsItSo() throws Exception { // A6
        PendingConnect pending = Parley.tcp().startConnect(fixture.address(), ConnectOptions.defaults());
        Await.until("the request queued", () -> fixture.listener.pendingCount() == 1);

        pending.cancel();
        Await.until("the withdrawal arrived", () -> fixture.listener.pendingCount() == 0);

        AcceptResult result = fixture.listener.accept(AcceptCondition.acceptAll(), Await.BOUND);
        assertThat(result).isInstanceOf(AcceptResult.Abandoned.class);
        assertThat(result.winsockError()).isEqualTo(WinsockError.WSAEACCES);
        assertThat(pending.isDone()).isTrue();
    }

    @Test
    void oneThreadServesManyConnectionsThroughOneWaiter() throws Exception { // E4
        int clients = 20;
        fixture.listener.configureBlocking(false);
        waiter.register(fixture.listener, null);
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            byte[] total = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
            answers.add(fixture.async(() -> {
                try (ParleyConnection c = Parley.tcp().connect(fixture.address(), ConnectOptions.defaults())) {
                    c.sendDisconnect(total);
                    while (c.receive() != null) {
                        // nothing comes before the server's disconnect
                    }
                    return c.receiveDisconnect();
                }
            }));
        }

        int ended = 0;
        long grandTotal = 0;
        for (int round = 0; ended < clients && round < 100 * clients; round++) {
            for (EventKey key : waiter.await(Await.BOUND)) {
                NetworkEvents events = key.takeEvents();
                if (key.source() == fixture.listener) {
                    acceptAll(events);
                } else if (events.has(NetworkEvent.CLOSE)) {
                    ParleyConnection c = (ParleyConnection) key.source();
                    grandTotal += Long.parseLong(new String(c.receiveDisconnect(), StandardCharsets.UTF_8));
                    c.sendDisconnect(Long.toString(grandTotal).getBytes(StandardCharsets.UTF_8));
                    c.close();
                    key.cancel();
                    ended++;
                }
            }
        }

        assertThat(ended).isEqualTo(clients);
        assertThat(grandTotal).isEqualTo(clients * (clients - 1) / 2);
        long last = 0;
        for (CompletableFuture<byte[]> answer : answers) {
            last = Math.max(last, Long.parseLong(new String(Await.result(answer), StandardCharsets.UTF_8)));
        }
        assertThat(last).isEqualTo(grandTotal);
    }

    private void acceptAll(NetworkEvents events) throws Exception {
        assertThat(events.events()).containsExactly(NetworkEvent.ACCEPT);
        while (true) {
            AcceptResult result;
            try {
                result = fixture.listener.accept(AcceptCondition.acceptAll());
            } catch (WouldBlockException none) {
                return;
            }
            ParleyConnection c = fixture.track(LoopbackFixture.accepted(result));
            c.configureBlocking(false);
            waiter.register(c, EnumSet.of(NetworkEvent.CLOSE), null);
        }
    }
}
