package io.parley.reliability;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ClosedException;
import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionResetException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Limits;
import io.parley.Linger;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.MessageTooLargeException;
import io.parley.ShutdownException;
import io.parley.WinsockCoded;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calls in the wrong state fail with the typed exception their Winsock counterpart names, change nothing,
 * and leave the connection able to finish its exchange gracefully, every message delivered. Double close is
 * a no-op (the java.io.Closeable contract), on connections and listeners alike.
 */
class WrongStateTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private Listener listener;
    private ParleyConnection client;
    private ParleyConnection server;

    @BeforeEach
    void pair() throws Exception {
        listener = Net.listen(ListenOptions.defaults());
        CompletableFuture<ParleyConnection> connecting = Net.async(() -> Net.connect(listener, ConnectOptions.defaults()));
        server = Net.accepted(listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
        client = Net.result(connecting);
    }

    @AfterEach
    void closeAll() throws IOException {
        abortUnlessClosed(client);
        abortUnlessClosed(server);
        listener.close();
    }

    /** Ends what a test left open; a connection the test closed itself refuses abort() by design. */
    private static void abortUnlessClosed(ParleyConnection connection) throws IOException {
        try {
            connection.abort("test over");
        } catch (ClosedException closedByTheTest) {
            // closed gracefully by the test: nothing to end
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sendAndSendDisconnectAfterSendDisconnectAreShutDownAndTheExchangeStillEndsGracefully() throws Exception {
        client.send(utf8("before"));
        client.sendDisconnect(utf8("25"));
        assertCode(assertThatThrownBy(() -> client.send(utf8("after"))).isInstanceOf(ShutdownException.class),
                WinsockError.WSAESHUTDOWN);
        assertCode(assertThatThrownBy(() -> client.sendDisconnect(utf8("again"))).isInstanceOf(ShutdownException.class),
                WinsockError.WSAESHUTDOWN);
        finishGracefully(1);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void receiveDisconnectTooEarlyWouldBlockAndLosesNothing() throws Exception {
        assertThatThrownBy(() -> server.receiveDisconnect()).isInstanceOf(WouldBlockException.class);
        client.send(utf8("before"));
        client.sendDisconnect(utf8("25"));
        // The disconnect may have arrived, but a message before it is unread: still would block.
        assertThatThrownBy(() -> server.receiveDisconnect()).isInstanceOf(WouldBlockException.class);
        finishGracefully(1);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMessageOverThePeersLimitIsRefusedWholeAndTheConnectionGoesOn() throws Exception {
        Limits small = Limits.DEFAULTS.withMaxMessageSize(16);
        listener.close();
        listener = Net.listen(ListenOptions.builder().settings(ConnectionSettings.DEFAULTS.withLimits(small)).build());
        client.abort("replaced");
        server.abort("replaced");
        CompletableFuture<ParleyConnection> connecting = Net.async(() -> Net.connect(listener, ConnectOptions.defaults()));
        server = Net.accepted(listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
        client = Net.result(connecting);

        assertCode(assertThatThrownBy(() -> client.send(new byte[17])).isInstanceOf(MessageTooLargeException.class),
                WinsockError.WSAEMSGSIZE);
        client.send(utf8("before"));
        client.sendDisconnect(utf8("25"));
        finishGracefully(1);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyCallAfterCloseIsClosedAndThePeerStillSeesAGracefulEnd() throws Exception {
        client.send(utf8("before"));
        client.close();
        for (Call call : new Call[] {
                () -> client.send(utf8("after")),
                () -> client.receive(),
                () -> client.receive(SHORT),
                () -> client.sendDisconnect(utf8("late")),
                () -> client.receiveDisconnect()}) {
            assertCode(assertThatThrownBy(call::run).isInstanceOf(ClosedException.class), WinsockError.WSAENOTSOCK);
        }
        assertThat(server.receive(Net.BOUND)).asString(StandardCharsets.UTF_8).isEqualTo("before");
        assertThat(server.receive(Net.BOUND)).isNull();
        assertThat(server.receiveDisconnect()).isEmpty();
        server.close();
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void doubleCloseIsANoOp() throws Exception {
        client.sendDisconnect(utf8("25"));
        assertThat(server.receive(Net.BOUND)).isNull();
        server.close();
        server.close();
        assertThat(client.receive(Net.BOUND)).isNull();
        client.close();
        client.close();
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
        client.close();
        server.close();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void doubleAbortiveCloseIsANoOpAndThePeerSeesOneReset() throws Exception {
        listener.close();
        listener = Net.listen(ListenOptions.defaults());
        client.abort("replaced");
        server.abort("replaced");
        ConnectOptions abortive = ConnectOptions.builder()
                .settings(ConnectionSettings.DEFAULTS.withLinger(Linger.ABORTIVE)).build();
        CompletableFuture<ParleyConnection> connecting = Net.async(() -> Net.connect(listener, abortive));
        server = Net.accepted(listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
        client = Net.result(connecting);

        client.close();
        client.close();
        assertThatThrownBy(() -> server.receive(Net.BOUND)).isInstanceOf(ConnectionResetException.class);
        assertThat(Net.result(server.closeIndication()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        assertThat(Net.result(client.termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void acceptOnAClosedListenerIsClosedAndDoubleCloseIsANoOp() throws Exception {
        listener.close();
        listener.close();
        assertCode(assertThatThrownBy(() -> listener.accept()).isInstanceOf(ClosedException.class),
                WinsockError.WSAENOTSOCK);
        assertThatThrownBy(() -> listener.accept(AcceptCondition.acceptAll(), SHORT)).isInstanceOf(ClosedException.class);
        // Connections accepted before live on.
        client.send(utf8("before"));
        client.sendDisconnect(utf8("25"));
        finishGracefully(1);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAcceptBlockedWhenTheListenerClosesFailsWithClosed() throws Exception {
        CompletableFuture<AcceptResult> blocked = Net.async(() -> listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
        Net.until("the accept is blocked", Net.BOUND, () -> !blocked.isDone() && listener.pendingCount() == 0);
        listener.close();
        assertThat(Net.failure(blocked)).isInstanceOf(ClosedException.class);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void receiveAfterReceiveDisconnectIsShutDown() throws Exception {
        client.sendDisconnect(utf8("25"));
        assertThat(server.receive(Net.BOUND)).isNull();
        assertThat(server.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("25");
        assertThatThrownBy(() -> server.receive(SHORT)).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> server.receiveDisconnect()).isInstanceOf(ShutdownException.class);
        server.sendDisconnect(utf8("1025"));
        server.close();
        assertThat(client.receive(Net.BOUND)).isNull();
        assertThat(client.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("1025");
        client.close();
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void callsAfterThePeersAbortAreResetNotShutDownAndAbortAgainIsANoOp() throws Exception {
        server.abort("gone");
        assertThatThrownBy(() -> client.receive(Net.BOUND)).isInstanceOf(ConnectionResetException.class);
        assertCode(assertThatThrownBy(() -> client.send(utf8("late"))).isInstanceOf(ConnectionResetException.class),
                WinsockError.WSAECONNRESET);
        assertThatThrownBy(() -> client.sendDisconnect(utf8("late"))).isInstanceOf(ConnectionResetException.class);
        assertThatThrownBy(() -> client.receiveDisconnect()).isInstanceOf(ConnectionResetException.class);
        server.abort("again");
        client.abort("after the reset");
        client.close();
        assertThat(Net.result(client.termination()).kind()).isEqualTo(CloseIndication.Kind.RESET);
        assertThat(Net.result(server.termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void abortAfterCloseIsRefusedAndDoesNotTurnTheGracefulEndIntoAReset() throws Exception {
        client.send(utf8("before"));
        client.close();
        assertThatThrownBy(() -> client.abort("after close")).isInstanceOf(ClosedException.class);
        assertThat(server.receive(Net.BOUND)).asString(StandardCharsets.UTF_8).isEqualTo("before");
        assertThat(server.receive(Net.BOUND)).isNull();
        server.close();
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
    }

    /** The client sent {@code messages} messages then its disconnect "25": the rest of the exchange. */
    private void finishGracefully(int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            assertThat(server.receive(Net.BOUND)).isNotNull();
        }
        assertThat(server.receive(Net.BOUND)).isNull();
        assertThat(server.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("25");
        server.send(utf8("ok"));
        server.sendDisconnect(utf8("1025"));
        server.close();
        assertThat(client.receive(Net.BOUND)).asString(StandardCharsets.UTF_8).isEqualTo("ok");
        assertThat(client.receive(Net.BOUND)).isNull();
        assertThat(client.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("1025");
        client.close();
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertCode(org.assertj.core.api.AbstractThrowableAssert<?, ?> thrown, WinsockError code) {
        thrown.isInstanceOfSatisfying(WinsockCoded.class, e -> assertThat(e.winsockError()).isEqualTo(code));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
