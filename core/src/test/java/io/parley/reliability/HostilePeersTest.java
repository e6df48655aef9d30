package io.parley.reliability;

import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.ReasonCode;
import io.parley.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that open TCP and then misbehave: send nothing, half a preamble, a preamble and nothing, a CONNECT
 * that never finishes, a CONNECT declaring far more than the limit, or another protocol. Each is closed at
 * the handshake timeout, or at once when its bytes already say it will never be a valid request, with the
 * answer the specification gives (ABORT TIMED_OUT, REJECT DATA_TOO_LARGE, or nothing for a foreign
 * protocol) delivered before the close, and with its reason logged. Held by the hundred (a thousand at full
 * size, {@code -Dparley.flood.connections}), they cost bounded memory each and do not keep a well-behaved
 * client from connecting and completing its exchange promptly.
 */
class HostilePeersTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(1);
    /** For the kinds refused at once: so long that waiting for it would be obvious. */
    private static final Duration LONG_HANDSHAKE = Duration.ofSeconds(60);
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** Heap a held hostile connection may cost, both ends counted (the test's raw socket too). */
    private static final long BYTES_PER_CONNECTION = 64 * 1024;
    private static final Pattern LOGGED_REASON = Pattern.compile("ended before it was accepted: CloseIndication\\[kind="
            + "[A-Z]+, reason=([A-Z_]+)");

    @ParameterizedTest
    @EnumSource(HostilePeer.Kind.class)
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void eachHostilePeerIsClosedInTimeWithTheSpecifiedAnswerAndALoggedReason(HostilePeer.Kind kind) throws Exception {
        Duration handshake = kind.atOnce ? LONG_HANDSHAKE : HANDSHAKE;
        try (LogCapture log = new LogCapture("io.parley.driver");
             Listener listener = Net.listen(ListenOptions.builder().handshakeTimeout(handshake).build());
             HostilePeer peer = HostilePeer.open(kind, Net.address(listener))) {
            HostilePeer.End end = peer.awaitEnd(kind.atOnce ? SLACK : handshake.plus(SLACK));
            Duration took = Duration.ofNanos(end.atNanos() - peer.openedNanos);
            if (!kind.atOnce) {
                assertThat(took).as("held until the handshake timeout").isGreaterThan(handshake.minusMillis(250));
            }
            checkAnswer(kind, end);
            Net.until("the reason is logged", Net.BOUND, () -> loggedReasons(log.text()).containsKey(kind.reason));
            assertThat(listener.pendingCount()).isZero();
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWellBehavedClientCompletesItsExchangePromptlyWhileHostileConnectionsAreHeldOpen() throws Exception {
        int held = Knobs.floodConnections();
        int count = held + held / 4;
        // Long enough that every held connection is still open when the well-behaved client is done.
        Duration handshake = Duration.ofMillis(Math.max(5_000, 4_000 + 8L * count));
        List<HostilePeer> peers = new ArrayList<>(count);
        List<HostilePeer.Kind> heldKinds = new ArrayList<>();
        List<HostilePeer.Kind> atOnceKinds = new ArrayList<>();
        for (HostilePeer.Kind kind : HostilePeer.Kind.values()) {
            (kind.atOnce ? atOnceKinds : heldKinds).add(kind);
        }
        try (LogCapture log = new LogCapture("io.parley.driver");
             Listener listener = Net.listen(ListenOptions.builder().handshakeTimeout(handshake).build())) {
            long heapBefore = Resources.usedHeapAfterGc();
            try {
                // The held kinds, and among them a quarter as many refused at once.
                for (int i = 0; i < held; i++) {
                    peers.add(HostilePeer.open(heldKinds.get(i % heldKinds.size()), Net.address(listener)));
                    if (i % 4 == 3) {
                        peers.add(HostilePeer.open(atOnceKinds.get(i / 4 % atOnceKinds.size()), Net.address(listener)));
                    }
                }
                long firstOpened = peers.getFirst().openedNanos;
                long heldHeap = Resources.usedHeapAfterGc() - heapBefore;

                long start = System.nanoTime();
                CompletableFuture<ParleyConnection> client = Net.async(() -> Net.connect(listener, ConnectOptions.defaults()));
                ParleyConnection server = Net.accepted(listener.accept(AcceptCondition.acceptAll(), Net.BOUND));
                ListenerAbuseTest.exchange(Net.result(client), server);
                Duration exchange = Duration.ofNanos(System.nanoTime() - start);

                int stillOpen = 0;
                for (HostilePeer peer : peers) {
                    if (!peer.kind.atOnce && peer.poll(Duration.ofMillis(1))) {
                        stillOpen++;
                    }
                }
                System.out.printf("HostilePeersTest: %d hostile connections held until the handshake timeout of "
                                + "%d ms (%d still open after the exchange) and %d refused at once, %d bytes of "
                                + "heap each, well-behaved exchange in %d ms%n", held, handshake.toMillis(),
                        stillOpen, count - held, heldHeap / count, exchange.toMillis());
                assertThat(System.nanoTime() - firstOpened).as("the exchange ran while all were held")
                        .isLessThan(handshake.toNanos());
                assertThat(stillOpen).as("held connections still open after the exchange").isEqualTo(held);
                assertThat(exchange).as("the well-behaved exchange").isLessThan(SLACK);
                assertThat(heldHeap).as("heap held by %d hostile connections", count)
                        .isLessThan(BYTES_PER_CONNECTION * count);

                Map<ReasonCode, Integer> expected = new EnumMap<>(ReasonCode.class);
                for (HostilePeer peer : peers) {
                    // Read one after another, so the time of reading says little: the bound is what matters.
                    HostilePeer.End end = peer.awaitEnd(handshake.plus(SLACK));
                    checkAnswer(peer.kind, end);
                    expected.merge(peer.kind.reason, 1, Integer::sum);
                }
                Net.until("every hostile connection's reason is logged", Net.BOUND, () -> {
                    Map<ReasonCode, Integer> logged = loggedReasons(log.text());
                    return expected.entrySet().stream()
                            .allMatch(e -> logged.getOrDefault(e.getKey(), 0) >= e.getValue());
                });
                assertThat(listener.pendingCount()).isZero();
            } finally {
                for (HostilePeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    /** The listener's answer before it closed: the specification's for that kind, and never a reset. */
    private static void checkAnswer(HostilePeer.Kind kind, HostilePeer.End end) {
        assertThat(end.reset()).as(kind + ": closed, not reset (a reset could destroy the answer)").isFalse();
        List<Frame> frames = end.frames();
        switch (kind.reason) {
            case TIMED_OUT -> {
                assertThat(frames).as(kind + ": preamble, then ABORT TIMED_OUT").hasSize(2);
                assertThat(frames.get(0)).isInstanceOf(Frame.Preamble.class);
                assertThat(frames.get(1)).isInstanceOfSatisfying(Frame.Abort.class,
                        a -> assertThat(a.reason()).isEqualTo(ReasonCode.TIMED_OUT));
            }
            case DATA_TOO_LARGE -> {
                assertThat(frames).as(kind + ": preamble, then REJECT DATA_TOO_LARGE").hasSize(2);
                assertThat(frames.get(1)).isInstanceOfSatisfying(Frame.Reject.class,
                        r -> assertThat(r.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
            }
            case NOT_PARLEY -> assertThat(frames).as(kind + ": not a Parley peer: nothing sent").isEmpty();
            default -> throw new AssertionError(kind.reason);
        }
    }

    /** How many connections the listener logged as ended before acceptance, by reason. */
    private static Map<ReasonCode, Integer> loggedReasons(String log) {
        Map<ReasonCode, Integer> counts = new EnumMap<>(ReasonCode.class);
        Matcher m = LOGGED_REASON.matcher(log);
        while (m.find()) {
            counts.merge(ReasonCode.valueOf(m.group(1)), 1, Integer::sum);
        }
        return counts;
    }
}
