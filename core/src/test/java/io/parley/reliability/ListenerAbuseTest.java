package io.parley.reliability;

import io.parley.CloseIndication;
import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener under pressure from its own queue and its own condition: a full queue refuses at once and
 * says why; a condition that throws rejects only its request; a slow condition delays only its request.
 */
class ListenerAbuseTest {
    /** Long enough that a caller left waiting would be obvious next to the bounds asserted here. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** "At once": well under the connect timeout, with room for a loaded machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFullQueueRefusesEveryNewRequestAtOnceWithQueueFullAndKeepsThoseItHolds() throws Exception {
        int backlog = 3;
        try (Listener listener = Net.listen(ListenOptions.builder().backlog(backlog).build())) {
            List<CompletableFuture<ParleyConnection>> held = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                String name = "held-" + i;
                held.add(Net.async(() -> Net.connect(listener, options(name))));
            }
            Net.until("the queue is full", Net.BOUND, () -> listener.pendingCount() == backlog);

            List<CompletableFuture<Long>> refused = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                refused.add(Net.async(() -> {
                    long start = System.nanoTime();
                    try {
                        Net.connect(listener, options("extra")).abort("should not have connected");
                        throw new AssertionError("a request beyond the backlog was queued");
                    } catch (ConnectionRefusedException e) {
                        assertThat(e.reason()).isEqualTo(ReasonCode.QUEUE_FULL);
                        assertThat(e.getMessage()).contains("full");
                        return System.nanoTime() - start;
                    }
                }));
            }
            for (CompletableFuture<Long> refusal : refused) {
                assertThat(Duration.ofNanos(Net.result(refusal))).isLessThan(AT_ONCE);
            }
            assertThat(listener.pendingCount()).isEqualTo(backlog);
            for (int i = 0; i < backlog; i++) {
                ParleyConnection server = Net.accepted(listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
                int which = Integer.parseInt(new String(server.callerData(), StandardCharsets.UTF_8).substring(5));
                exchange(Net.result(held.get(which)), server);
            }
        }
    }

    @ParameterizedTest(name = "a condition throwing {0}")
    @ValueSource(strings = {"exception", "unchecked", "assertion"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aConditionThatThrowsRejectsThatRequestAtOnceAndTheListenerKeepsServing(String kind) throws Exception {
        conditionFailureRejectsAtOnce(kind);
    }

    @ParameterizedTest(name = "a condition {0}")
    @ValueSource(strings = {"throwing an Error", "returning null"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aConditionThatFailsOtherwiseAlsoRejectsAtOnce(String kind) throws Exception {
        conditionFailureRejectsAtOnce(kind);
    }

    private static void conditionFailureRejectsAtOnce(String kind) throws Exception {
        AcceptCondition throwing = request -> {
            if (new String(request.callerData(), StandardCharsets.UTF_8).equals("bad")) {
                switch (kind) {
                    case "exception" -> throw new Exception("condition failed");
                    case "unchecked" -> throw new IllegalStateException("condition failed");
                    case "assertion" -> throw new AssertionError("condition failed");
                    case "returning null" -> {
                        return null;
                    }
                    default -> throw new Error("condition failed");
                }
            }
            return Decision.accept();
        };
        try (Listener listener = Net.listen(ListenOptions.defaults())) {
            long start = System.nanoTime();
            CompletableFuture<ParleyConnection> bad = Net.async(() -> Net.connect(listener, options("bad")));
            assertThat(listener.accept(throwing, Net.BOUND)).as("accept reports the failed condition")
                    .isInstanceOfSatisfying(AcceptResult.Rejected.class,
                            r -> assertThat(r.refusal().reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThat(Net.failure(bad)).isInstanceOfSatisfying(ConnectionRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);

            CompletableFuture<ParleyConnection> good = Net.async(() -> Net.connect(listener, options("good")));
            ParleyConnection server = Net.accepted(listener.accept(throwing, Net.BOUND));
            exchange(Net.result(good), server);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSlowConditionDelaysOnlyItsOwnRequest() throws Exception {
        CountDownLatch deciding = new CountDownLatch(1);
        CountDownLatch decide = new CountDownLatch(1);
        AcceptCondition slowForOne = request -> {
            if (new String(request.callerData(), StandardCharsets.UTF_8).equals("slow")) {
                deciding.countDown();
                if (!decide.await(Net.BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    return Decision.reject("gave up");
                }
            }
            return Decision.accept();
        };
        try (Listener listener = Net.listen(ListenOptions.defaults())) {
            CompletableFuture<ParleyConnection> slowServer = Net.async(() -> Net.accepted(listener.accept(slowForOne, Net.BOUND)));
            CompletableFuture<ParleyConnection> slowClient = Net.async(() -> Net.connect(listener, options("slow")));
            assertThat(deciding.await(Net.BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            long start = System.nanoTime();
            CompletableFuture<ParleyConnection> fastClient = Net.async(() -> Net.connect(listener, options("fast")));
            ParleyConnection fastServer = Net.accepted(listener.accept(slowForOne, Net.BOUND));
            exchange(Net.result(fastClient), fastServer);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
            assertThat(slowClient).as("the slow request is still being decided").isNotDone();

            decide.countDown();
            exchange(Net.result(slowClient), Net.result(slowServer));
        }
    }

    private static ConnectOptions options(String callerData) {
        return ConnectOptions.builder().callerData(callerData.getBytes(StandardCharsets.UTF_8))
                .connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A short reference exchange; both sides must end gracefully. */
    static void exchange(ParleyConnection client, ParleyConnection server) throws Exception {
        client.send("deposit 25".getBytes(StandardCharsets.UTF_8));
        client.sendDisconnect("25".getBytes(StandardCharsets.UTF_8));
        assertThat(server.receive(Net.BOUND)).asString(StandardCharsets.UTF_8).isEqualTo("deposit 25");
        assertThat(server.receive(Net.BOUND)).isNull();
        assertThat(server.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("25");
        server.sendDisconnect("1025".getBytes(StandardCharsets.UTF_8));
        server.close();
        assertThat(client.receive(Net.BOUND)).isNull();
        assertThat(client.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("1025");
        client.close();
        assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
        assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
    }
}
