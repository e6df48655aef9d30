package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Limits;
import io.parley.ListenOptions;
import io.parley.MessageTooLargeException;
import io.parley.Parley;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.protocol.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Size limits (C1, D1, P2): caller, callee and disconnect data and messages of 0 bytes, 1 byte and exactly
 * the limit arrive intact; one byte over fails at the sender with WSAEMSGSIZE before anything is sent.
 */
class ConnectDataLimitsTest {
    private static final Random RANDOM = new Random(20240603);

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static ConnectionSettings settings(Limits limits) {
        return ConnectionSettings.DEFAULTS.withLimits(limits);
    }

    private static Limits userDataLimits(int limit) {
        return Limits.DEFAULTS.withMaxCallerData(limit).withMaxCalleeData(limit).withMaxDisconnectData(limit);
    }

    private static LoopbackFixture fixture(Limits limits) throws Exception {
        return new LoopbackFixture(ListenOptions.builder().settings(settings(limits)).build());
    }

    @ParameterizedTest(name = "caller and callee data of 0, 1 and {0} bytes (the limit) arrive intact")
    @ValueSource(ints = {100, 4096, 64 * 1024, 1 << 20})
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c1_callerAndCalleeDataUpToTheLimitArriveIntact(int limit) throws Exception {
        Limits limits = userDataLimits(limit);
        try (LoopbackFixture f = fixture(limits)) {
            for (int size : new int[] {0, 1, limit}) {
                byte[] callerData = random(size);
                byte[] calleeData = random(size);
                LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().callerData(callerData)
                        .settings(settings(limits)).build(), request -> {
                            assertThat(request.callerData()).isEqualTo(callerData);
                            return Decision.accept(calleeData);
                        });
                assertThat(pair.server().callerData()).isEqualTo(callerData);
                assertThat(pair.client().callerData()).isEqualTo(callerData);
                assertThat(pair.client().calleeData()).isEqualTo(calleeData);
                pair.client().close();
                pair.server().close();
            }
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c1_callerDataOverTheProtocolMaximumFailsAtTheCallerBeforeAnythingIsSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LoopbackFixture.LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LoopbackFixture.LOOPBACK, server.getLocalPort());
            assertThatThrownBy(() -> Parley.tcp().connect(address, ConnectOptions.builder()
                    .callerData(new byte[WireFormat.MAX_USER_DATA + 1]).build()))
                    .isInstanceOfSatisfying(MessageTooLargeException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            // Not even a transport connection was made: the first one the server sees is the sentinel's.
            try (Socket sentinel = new Socket(LoopbackFixture.LOOPBACK, server.getLocalPort())) {
                server.setSoTimeout((int) Await.BOUND.toMillis());
                try (Socket first = server.accept()) {
                    assertThat(first.getPort()).isEqualTo(sentinel.getLocalPort());
                }
            }
        }
    }

    @ParameterizedTest(name = "caller data of {0}+1 bytes is refused by the callee before its condition; {0} fits")
    @ValueSource(ints = {0, 100, 64 * 1024, 1 << 20})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c1_callerDataOverTheCalleesLimitIsRefusedWithMsgSizeBeforeTheCondition(int limit) throws Exception {
        try (LoopbackFixture f = fixture(userDataLimits(limit))) {
            AtomicInteger presented = new AtomicInteger();
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.builder()
                    .callerData(random(limit + 1)).build());
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
            });
            CompletableFuture<ParleyConnection> fits = f.connectAsync(ConnectOptions.builder().callerData(random(limit)).build());
            f.track(f.listener.accept(request -> {
                presented.incrementAndGet();
                assertThat(request.callerData()).hasSize(limit);
                return Decision.accept();
            }, Await.BOUND));
            Await.result(fits);
            assertThat(presented).hasValue(1);
        }
    }

    /**
     * Callee data over the caller's limit fails the accept with WSAEMSGSIZE; the data is never sent (nor
     * truncated): the request is refused with DATA_TOO_LARGE, which the caller sees as WSAEMSGSIZE too.
     */
    @ParameterizedTest(name = "callee data of {0}+1 bytes fails at the callee; the caller is refused")
    @ValueSource(ints = {0, 100, 4096, 64 * 1024, 1 << 20})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void c1_calleeDataOneByteOverTheCallersLimitFailsAtTheCalleeAndIsNeverSent(int limit) throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.builder()
                    .settings(settings(userDataLimits(limit))).build());
            AcceptResult result = f.listener.accept(request -> {
                assertThat(request.maxCalleeData()).isEqualTo(limit);
                return Decision.accept(random(limit + 1));
            }, Await.BOUND);
            assertThat(result).isInstanceOfSatisfying(AcceptResult.AnswerTooLarge.class,
                    r -> assertThat(r.answer()).isInstanceOf(Decision.Accept.class));
            assertThat(result.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
            });
            assertThat(f.listener.pendingCount()).isZero();
        }
    }

    @ParameterizedTest(name = "disconnect data of 0, 1 and {0} bytes (the limit) arrive intact both ways")
    @ValueSource(ints = {100, 4096, 64 * 1024, 1 << 20})
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d1_disconnectDataUpToTheLimitArrivesIntactBothWays(int limit) throws Exception {
        Limits limits = userDataLimits(limit);
        try (LoopbackFixture f = fixture(limits)) {
            for (int size : new int[] {0, 1, limit}) {
                LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().settings(settings(limits)).build(),
                        request -> Decision.accept());
                byte[] fromClient = random(size);
                byte[] fromServer = random(size);
                pair.client().sendDisconnect(fromClient);
                assertThat(pair.server().receive(Await.BOUND)).isNull();
                assertThat(pair.server().receiveDisconnect()).isEqualTo(fromClient);
                pair.server().sendDisconnect(fromServer);
                assertThat(pair.client().receive(Await.BOUND)).isNull();
                assertThat(pair.client().receiveDisconnect()).isEqualTo(fromServer);
                pair.client().close();
                pair.server().close();
            }
        }
    }

    @ParameterizedTest(name = "disconnect data of {0}+1 bytes fails at the sender and changes nothing")
    @ValueSource(ints = {0, 100, 4096, 64 * 1024, 1 << 20})
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void d1_disconnectDataOneByteOverTheLimitFailsAndChangesNothing(int limit) throws Exception {
        Limits limits = userDataLimits(limit);
        try (LoopbackFixture f = fixture(limits)) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().settings(settings(limits)).build(),
                    request -> Decision.accept());
            assertThatThrownBy(() -> pair.client().sendDisconnect(random(limit + 1)))
                    .isInstanceOfSatisfying(MessageTooLargeException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            assertThatThrownBy(() -> pair.server().sendDisconnect(random(limit + 1)))
                    .isInstanceOf(MessageTooLargeException.class);
            // Sending is still open on both sides, and nothing reached the peers.
            pair.client().send(new byte[] {1});
            assertThat(pair.server().receive(Await.BOUND)).containsExactly(1);
            byte[] fits = random(limit);
            pair.client().sendDisconnect(fits);
            assertThat(pair.server().receive(Await.BOUND)).isNull();
            assertThat(pair.server().receiveDisconnect()).isEqualTo(fits);
            assertThat(pair.server().closeIndication().join().isGraceful()).isTrue();
        }
    }

    @ParameterizedTest(name = "messages of 0, 1 and {0} bytes (the limit) arrive intact; one more fails")
    @ValueSource(ints = {1000, 70000, 4 << 20})
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void p2_messagesUpToTheLimitArriveIntactAndOneByteOverFailsAtTheSender(int limit) throws Exception {
        Limits limits = Limits.DEFAULTS.withMaxMessageSize(limit);
        try (LoopbackFixture f = fixture(limits)) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().settings(settings(limits)).build(),
                    request -> Decision.accept());
            for (int size : new int[] {0, 1, limit}) {
                byte[] message = random(size);
                pair.client().send(message);
                assertThat(pair.server().receive(Await.BOUND)).isEqualTo(message);
                pair.server().send(message);
                assertThat(pair.client().receive(Await.BOUND)).isEqualTo(message);
            }
            assertThatThrownBy(() -> pair.client().send(random(limit + 1)))
                    .isInstanceOfSatisfying(MessageTooLargeException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            byte[] next = random(3);
            pair.client().send(next);
            assertThat(pair.server().receive(Await.BOUND)).as("nothing of the refused message was sent")
                    .isEqualTo(next);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theDefaultLimitsAreSafeAndEnforced() throws Exception {
        assertThat(Limits.DEFAULTS).isEqualTo(new Limits(4096, 4096, 4096, 4096, 4L << 20, 16 * 1024));
        assertThat(ListenOptions.defaults().backlog()).isEqualTo(128);
        assertThat(ListenOptions.defaults().handshakeTimeout()).hasSeconds(10);
        assertThat(ConnectOptions.defaults().connectTimeout()).hasSeconds(10);
        assertThat(ConnectionSettings.DEFAULTS.drainTimeout()).hasSeconds(30);
        try (LoopbackFixture f = new LoopbackFixture()) {
            assertThat(Await.failure(f.connectAsync(ConnectOptions.builder().callerData(new byte[4097]).build())))
                    .isInstanceOfSatisfying(ConnectionRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
            LoopbackFixture.Pair pair = f.pair();
            assertThatThrownBy(() -> pair.client().send(new byte[(4 << 20) + 1]))
                    .isInstanceOf(MessageTooLargeException.class);
            assertThatThrownBy(() -> pair.server().sendDisconnect(new byte[4097]))
                    .isInstanceOf(MessageTooLargeException.class);
        }
    }
}
