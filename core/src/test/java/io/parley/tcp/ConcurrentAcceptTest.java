package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.TimedOutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Several threads accepting at once: each request is decided exactly once, deferrals included (A1, A5). */
class ConcurrentAcceptTest {
    private static final int CALLERS = 200;
    private static final int ACCEPTORS = 2;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoThreadsAcceptingConcurrentlyDecideEachRequestOnce() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().backlog(CALLERS).build())) {
            Map<Integer, List<String>> decisions = new ConcurrentHashMap<>();
            AtomicInteger decided = new AtomicInteger();
            // Every 5th request is deferred once before it is decided, every 7th is rejected.
            AcceptCondition condition = request -> {
                int id = ByteBuffer.wrap(request.callerData()).getInt();
                List<String> seen = decisions.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
                if (id % 5 == 0 && request.deferrals() == 0) {
                    seen.add("defer");
                    return Decision.defer();
                }
                seen.add(id % 7 == 0 ? "reject" : "accept");
                decided.incrementAndGet();
                return id % 7 == 0 ? Decision.reject("no " + id) : Decision.accept(request.callerData());
            };
            List<CompletableFuture<ParleyConnection>> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                callers.add(f.connectAsync(ConnectOptions.builder()
                        .callerData(ByteBuffer.allocate(4).putInt(i).array()).build()));
            }
            List<CompletableFuture<Integer>> acceptors = new ArrayList<>();
            for (int t = 0; t < ACCEPTORS; t++) {
                acceptors.add(f.async(() -> acceptUntilAllDecided(f, condition, decided)));
            }
            int accepted = 0;
            for (CompletableFuture<Integer> acceptor : acceptors) {
                accepted += Await.result(acceptor, Duration.ofSeconds(40));
            }

            assertThat(decisions).hasSize(CALLERS);
            for (int id = 0; id < CALLERS; id++) {
                List<String> seen = decisions.get(id);
                String expected = id % 7 == 0 ? "reject" : "accept";
                List<String> want = id % 5 == 0 ? List.of("defer", expected) : List.of(expected);
                assertThat(seen).as("decisions for request %d", id).isEqualTo(want);
            }
            int expectAccepted = 0;
            for (int id = 0; id < CALLERS; id++) {
                if (id % 7 == 0) {
                    assertThat(Await.failure(callers.get(id))).isInstanceOf(ConnectionRefusedException.class)
                            .hasMessageContaining("no " + id);
                } else {
                    expectAccepted++;
                    ParleyConnection client = Await.result(callers.get(id));
                    assertThat(ByteBuffer.wrap(client.calleeData()).getInt()).isEqualTo(id);
                }
            }
            assertThat(accepted).isEqualTo(expectAccepted);
            assertThat(f.listener.pendingCount()).isZero();
        }
    }

    /** Accepts until every request got its final decision; returns how many this thread accepted. */
    private static int acceptUntilAllDecided(LoopbackFixture f, AcceptCondition condition, AtomicInteger decided)
            throws Exception {
        int accepted = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (decided.get() < CALLERS && System.nanoTime() - deadline < 0) {
            try {
                // deferred: presented again by a later accept; rejected: decided
                if (f.listener.accept(condition, Duration.ofMillis(100)) instanceof AcceptResult.Accepted a) {
                    f.track(a.connection());
                    accepted++;
                }
            } catch (TimedOutException e) {
                // look again
            }
        }
        return accepted;
    }
}
