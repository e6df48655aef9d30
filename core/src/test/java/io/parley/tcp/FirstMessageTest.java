package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Limits;
import io.parley.ListenOptions;
import io.parley.MessageTooLargeException;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.protocol.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first message sent with the connection request (ConnectOptions.firstMessage): the caller's data of
 * WSAConnect [C1] extended by one message that travels in the same flight, delivered only once accepted.
 */
class FirstMessageTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConnectOptions withFirst(String callerData, byte[] first) {
        return ConnectOptions.builder().callerData(utf8(callerData)).firstMessage(first).build();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theFirstMessageIsTheCalleesFirstMessageAheadOfLaterSends() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withFirst("hello", utf8("request-1")), AcceptCondition.acceptAll());
            pair.client().send(utf8("request-2"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("request-1"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("request-2"));
            assertThat(pair.server().callerData()).isEqualTo(utf8("hello"));
        }
    }

    /**
     * The ACCEPT of a request with a first message waits for the application's first answer, to leave in the
     * same write; an application that takes the message and then neither sends nor receives must not keep
     * the caller's connect waiting.
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theCallerIsAnsweredEvenIfTheApplicationNeverAnswers() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(withFirst("quiet", utf8("question")));
            ParleyConnection server = f.track(f.listener.accept(AcceptCondition.acceptAll(), Await.BOUND));
            assertThat(server.receive(Await.BOUND)).isEqualTo(utf8("question"));
            ParleyConnection connected = Await.result(client);
            connected.send(utf8("still there?"));
            assertThat(server.receive(Await.BOUND)).isEqualTo(utf8("still there?"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEmptyFirstMessageIsAMessage() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(withFirst("", new byte[0]), AcceptCondition.acceptAll());
            assertThat(pair.server().receive(Await.BOUND)).isEmpty();
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRefusalDiscardsTheFirstMessage() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> refused = f.connectAsync(withFirst("refuse-me", utf8("lost")));
            assertThat(f.listener.accept(request -> Decision.reject("no"), Await.BOUND))
                    .isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(refused)).isInstanceOf(ConnectionRefusedException.class);
            LoopbackFixture.Pair next = f.pair(withFirst("next", utf8("kept")), AcceptCondition.acceptAll());
            assertThat(next.server().receive(Await.BOUND)).isEqualTo(utf8("kept"));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeferredRequestKeepsItsFirstMessageUntilAccepted() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            AtomicInteger presented = new AtomicInteger();
            AcceptCondition deferOnce = request -> presented.getAndIncrement() == 0 ? Decision.defer() : Decision.accept();
            CompletableFuture<ParleyConnection> client = f.connectAsync(withFirst("patient", utf8("held")));
            assertThat(f.listener.accept(deferOnce, Await.BOUND)).isInstanceOf(AcceptResult.Deferred.class);
            ParleyConnection server = f.track(f.listener.accept(deferOnce, Await.BOUND));
            Await.result(client);
            assertThat(server.receive(Await.BOUND)).isEqualTo(utf8("held"));
        }
    }

    /** The callee counts caller data and first message (plus 4 bytes) against its caller-data limit. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void overTheCalleesCallerDataLimitTheRequestIsRefusedWithDataTooLarge() throws Exception {
        Limits small = Limits.DEFAULTS.withMaxCallerData(100);
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder()
                .settings(ConnectionSettings.DEFAULTS.withLimits(small)).build())) {
            CompletableFuture<ParleyConnection> over = f.connectAsync(withFirst("0123456789", new byte[87]));
            assertThat(Await.failure(over)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
            });
            LoopbackFixture.Pair fits = f.pair(withFirst("0123456789", new byte[86]), AcceptCondition.acceptAll());
            assertThat(fits.server().receive(Await.BOUND)).hasSize(86);
        }
    }

    @Test
    void overTheProtocolMaximumNothingIsSent() throws Exception {
        // The first message costs its size plus 4: together with the caller data one byte over 16 MiB.
        ConnectOptions over = ConnectOptions.builder().callerData(new byte[WireFormat.MAX_USER_DATA - 10])
                .firstMessage(new byte[7]).build();
        try (LoopbackFixture f = new LoopbackFixture()) {
            assertThatThrownBy(() -> f.connect(over)).isInstanceOfSatisfying(MessageTooLargeException.class,
                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            // Requests are queued in order: had the refused one been sent, it would be accepted first.
            LoopbackFixture.Pair sentinel = f.pair(withFirst("sentinel", utf8("x")), AcceptCondition.acceptAll());
            assertThat(sentinel.server().callerData()).isEqualTo(utf8("sentinel"));
        }
    }
}
