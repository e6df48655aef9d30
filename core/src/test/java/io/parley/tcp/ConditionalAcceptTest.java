package io.parley.tcp;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionRequest;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Limits;
import io.parley.ParleyConnection;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WSAAccept with a condition (A1–A5, C1, Q3): what the condition sees, and accept, reject and defer. */
class ConditionalAcceptTest {
    private static final Qos REQUESTED = new Qos(FlowSpec.bestEffort(1_000_000, 64_000),
            FlowSpec.bestEffort(500_000, 32_000));
    private static final Qos LOWER = new Qos(FlowSpec.bestEffort(400_000, 16_000),
            FlowSpec.bestEffort(500_000, 8_000));
    private static final Qos HIGHER = new Qos(FlowSpec.bestEffort(2_000_000, 64_000),
            FlowSpec.bestEffort(500_000, 32_000));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a2_conditionSeesCallerIdCalleeIdCallerDataQosAndGroup() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            Group asked = new Group(GroupKind.UNCONSTRAINED, 0, 7);
            AtomicReference<ConnectionRequest> seen = new AtomicReference<>();
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().callerData(utf8("alice"))
                    .qos(REQUESTED).group(asked).build(), request -> {
                        seen.set(request);
                        return Decision.accept();
                    });
            ConnectionRequest request = seen.get();
            assertThat(request.callerId()).isEqualTo(pair.client().localAddress());
            assertThat(request.calleeId()).isEqualTo(f.address()).isEqualTo(pair.client().remoteAddress());
            assertThat(request.callerData()).isEqualTo(utf8("alice"));
            assertThat(request.requestedQos()).contains(REQUESTED);
            assertThat(request.group()).contains(asked);
            assertThat(request.deferrals()).isZero();
            assertThat(request.maxCalleeData()).isEqualTo(4096);
            assertThat(pair.server().callerData()).isEqualTo(utf8("alice"));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a2_requestWithoutDataQosOrGroupShowsThemAbsent() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            AtomicReference<ConnectionRequest> seen = new AtomicReference<>();
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.defaults(), request -> {
                seen.set(request);
                return Decision.accept();
            });
            assertThat(seen.get().callerData()).isEmpty();
            assertThat(seen.get().requestedQos()).isEmpty();
            assertThat(seen.get().group()).isEmpty();
            assertThat(pair.client().qos()).isEmpty();
            assertThat(pair.client().calleeData()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a3_acceptWithCalleeDataLowerQosAndGroupReachesTheCaller() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.builder().qos(REQUESTED)
                    .group(new Group(GroupKind.UNCONSTRAINED, 0, 3)).build(),
                    request -> Decision.accept(utf8("welcome"), LOWER).withGroup(request.group().orElseThrow()));
            assertThat(pair.client().calleeData()).isEqualTo(utf8("welcome"));
            assertThat(pair.client().qos()).contains(LOWER);
            long id = pair.server().group().orElseThrow().id();
            assertThat(id).as("the listener picks a new group's id").isPositive();
            assertThat(pair.client().group()).as("both ends agree on the group and its kind (protocol version 2)")
                    .contains(new Group(GroupKind.UNCONSTRAINED, id, 3));
            assertThat(pair.server().qos()).contains(LOWER);
            assertThat(pair.server().calleeData()).isEqualTo(utf8("welcome"));
            pair.client().send(utf8("ping"));
            assertThat(pair.server().receive(Await.BOUND)).isEqualTo(utf8("ping"));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void q3_grantingMoreQosThanRequestedIsRefusedNeverGranted() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.builder().qos(REQUESTED).build());
            assertThat(f.listener.accept(request -> Decision.accept(new byte[0], HIGHER), Await.BOUND))
                    .isInstanceOfSatisfying(AcceptResult.Rejected.class,
                            r -> assertThat(r.refusal().reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThat(Await.failure(client)).isInstanceOf(ConnectionRefusedException.class);

            CompletableFuture<ParleyConnection> noQos = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(request -> Decision.accept(new byte[0], LOWER), Await.BOUND))
                    .isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(noQos)).isInstanceOf(ConnectionRefusedException.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a4_rejectWithReasonReachesTheCaller() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.builder()
                    .callerData(utf8("carol")).build());
            AcceptResult result = f.listener.accept(request -> Decision.reject("busy, try later"), Await.BOUND);
            assertThat(result).isInstanceOfSatisfying(AcceptResult.Rejected.class, r -> {
                assertThat(r.refusal().reason()).isEqualTo(ReasonCode.REFUSED);
                assertThat(r.refusal().reasonText()).isEqualTo("busy, try later");
                assertThat(r.request().callerData()).isEqualTo(utf8("carol"));
            });
            assertThat(result.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
            assertThat(Await.failure(client))
                    .isInstanceOf(ConnectException.class)
                    .isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ReasonCode.REFUSED);
                        assertThat(e.reasonText()).isEqualTo("busy, try later");
                        assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
                    });
            assertThat(f.listener.pendingCount()).isZero();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a4_rejectWithACodeAndBinaryReasonDataReachesTheCallerByteForByte() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            byte[] retryAfter = {0, 0, 0x75, 0x30, (byte) 0xff, 0x00, (byte) 0xc3}; // not UTF-8 on purpose
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(request -> Decision.reject(ReasonCode.QUEUE_FULL, retryAfter), Await.BOUND))
                    .isInstanceOfSatisfying(AcceptResult.Rejected.class,
                            r -> assertThat(r.refusal().reasonData()).isEqualTo(retryAfter));
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.QUEUE_FULL);
                assertThat(e.reasonData()).isEqualTo(retryAfter);
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
            });
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a4_reasonDataOverTheCallersLimitIsNeverSentNorTruncated() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            int callersLimit = 2048;
            ConnectOptions options = ConnectOptions.builder().settings(ConnectionSettings.DEFAULTS
                    .withLimits(Limits.DEFAULTS.withMaxReasonData(callersLimit))).build();
            CompletableFuture<ParleyConnection> over = f.connectAsync(options);
            Decision.Reject tooLong = Decision.reject(ReasonCode.REFUSED, new byte[callersLimit + 1]);
            assertThat(f.listener.accept(request -> tooLong, Await.BOUND))
                    .isInstanceOfSatisfying(AcceptResult.AnswerTooLarge.class, r -> {
                        assertThat(r.answer()).isEqualTo(tooLong);
                        assertThat(r.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
                    });
            assertThat(Await.failure(over)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
                assertThat(e.reasonData()).isEmpty();
            });

            CompletableFuture<ParleyConnection> fits = f.connectAsync(options);
            byte[] atTheLimit = new byte[callersLimit];
            atTheLimit[callersLimit - 1] = 7;
            assertThat(f.listener.accept(request -> Decision.reject(ReasonCode.REFUSED, atTheLimit), Await.BOUND))
                    .isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(fits)).isInstanceOfSatisfying(ConnectionRefusedException.class,
                    e -> assertThat(e.reasonData()).isEqualTo(atTheLimit));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a4_rejectWithoutReasonGivesEmptyReasonData() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(request -> Decision.reject(), Await.BOUND))
                    .isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class, e -> {
                assertThat(e.reasonText()).isEmpty();
                assertThat(e.reasonData()).isEmpty();
            });
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a4_conditionThatThrowsOrAnswersNullRejectsWithConditionFailed() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(request -> {
                throw new IllegalStateException("condition bug");
            }, Await.BOUND)).isInstanceOfSatisfying(AcceptResult.Rejected.class,
                    r -> assertThat(r.refusal().reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThat(Await.failure(client)).isInstanceOfSatisfying(ConnectionRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED));

            CompletableFuture<ParleyConnection> second = f.connectAsync(ConnectOptions.defaults());
            assertThat(f.listener.accept(request -> null, Await.BOUND))
                    .isInstanceOfSatisfying(AcceptResult.Rejected.class,
                            r -> assertThat(r.refusal().reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThat(Await.failure(second)).isInstanceOf(ConnectionRefusedException.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a5_deferThenAcceptPresentsTheSameRequestAndTheCallerConnects() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> client = f.connectAsync(ConnectOptions.builder()
                    .callerData(utf8("bob")).build());
            AtomicReference<ConnectionRequest> first = new AtomicReference<>();
            AcceptResult deferred = f.listener.accept(request -> {
                first.set(request);
                return Decision.defer();
            }, Await.BOUND);
            assertThat(deferred).isInstanceOfSatisfying(AcceptResult.Deferred.class,
                    d -> assertThat(d.request().callerData()).isEqualTo(utf8("bob")));
            assertThat(deferred.winsockError()).isEqualTo(WinsockError.WSATRY_AGAIN);
            assertThat(f.listener.pendingCount()).isEqualTo(1);
            assertThat(client).isNotDone();

            AtomicReference<ConnectionRequest> second = new AtomicReference<>();
            AcceptResult accepted = f.listener.accept(request -> {
                second.set(request);
                return Decision.accept(utf8("later"));
            }, Await.BOUND);
            ParleyConnection server = f.track(accepted);
            assertThat(((AcceptResult.Accepted) accepted).request().deferrals()).isEqualTo(1);
            assertThat(second.get().callerId()).isEqualTo(first.get().callerId());
            assertThat(second.get().callerData()).isEqualTo(utf8("bob"));
            assertThat(second.get().deferrals()).isEqualTo(1);

            ParleyConnection connected = Await.result(client);
            assertThat(connected.calleeData()).isEqualTo(utf8("later"));
            connected.send(utf8("hello"));
            assertThat(server.receive(Await.BOUND)).isEqualTo(utf8("hello"));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a5_aDeferredRequestStaysFirstInTheQueue() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> one = f.connectAsync(ConnectOptions.builder().callerData(utf8("1")).build());
            Await.until("first request queued", () -> f.listener.pendingCount() == 1);
            CompletableFuture<ParleyConnection> two = f.connectAsync(ConnectOptions.builder().callerData(utf8("2")).build());
            Await.until("second request queued", () -> f.listener.pendingCount() == 2);

            assertThat(f.listener.accept(request -> Decision.defer(), Await.BOUND))
                    .isInstanceOf(AcceptResult.Deferred.class);
            AtomicReference<String> presented = new AtomicReference<>();
            AcceptCondition record = request -> {
                presented.set(new String(request.callerData(), StandardCharsets.UTF_8));
                return Decision.accept();
            };
            f.track(f.listener.accept(record, Await.BOUND));
            assertThat(presented.get()).isEqualTo("1");
            f.track(f.listener.accept(record, Await.BOUND));
            assertThat(presented.get()).isEqualTo("2");
            assertThat(Await.result(one).calleeData()).isEmpty();
            assertThat(Await.result(two).calleeData()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_aRequestWithdrawnAfterItsCallersTimeoutIsReportedAsWsaeaccesInItsPlace() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> late = f.connectAsync(ConnectOptions.builder().callerData(utf8("late"))
                    .connectTimeout(Duration.ofMillis(500)).build());
            assertThat(f.listener.accept(request -> Decision.defer(), Await.BOUND))
                    .isInstanceOf(AcceptResult.Deferred.class);
            assertThat(Await.failure(late)).isInstanceOfSatisfying(TimedOutException.class, e -> {
                assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
                assertThat(e.getMessage()).contains("deferred");
            });
            Await.until("the withdrawn request stops waiting", () -> f.listener.pendingCount() == 0);
            CompletableFuture<ParleyConnection> next = f.connectAsync(ConnectOptions.builder().callerData(utf8("next")).build());
            Await.until("the next request queued", () -> f.listener.pendingCount() == 1);

            AtomicInteger presentations = new AtomicInteger();
            AtomicReference<String> presented = new AtomicReference<>();
            AcceptCondition record = request -> {
                presentations.incrementAndGet();
                presented.set(new String(request.callerData(), StandardCharsets.UTF_8));
                return Decision.accept();
            };
            AcceptResult withdrawn = f.listener.accept(record, Await.BOUND);
            assertThat(withdrawn).isInstanceOfSatisfying(AcceptResult.Abandoned.class, a -> {
                assertThat(a.request().callerData()).isEqualTo(utf8("late"));
                assertThat(a.ending().reason()).isEqualTo(ReasonCode.WITHDRAWN);
            });
            assertThat(withdrawn.winsockError()).isEqualTo(WinsockError.WSAEACCES);
            assertThat(presentations).hasValue(0);

            f.track(f.listener.accept(record, Await.BOUND));
            assertThat(presented.get()).isEqualTo("next");
            Await.result(next);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a6_aRequestWhoseCallerResetIsReportedAsWsaeconnreset() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(); RawPeer caller = RawPeer.connect(f.address())) {
            caller.write(RawPeer.request(utf8("gone")));
            Await.until("the request queued", () -> f.listener.pendingCount() == 1);
            caller.reset();
            Await.until("the reset request stops waiting", () -> f.listener.pendingCount() == 0);

            AtomicInteger presentations = new AtomicInteger();
            AcceptResult reset = f.listener.accept(request -> {
                presentations.incrementAndGet();
                return Decision.accept();
            }, Await.BOUND);
            assertThat(reset).isInstanceOfSatisfying(AcceptResult.Abandoned.class, a -> {
                assertThat(a.request().callerData()).isEqualTo(utf8("gone"));
                assertThat(a.ending().kind()).isEqualTo(CloseIndication.Kind.RESET);
            });
            assertThat(reset.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            assertThat(presentations).hasValue(0);
            assertThatThrownBy(() -> f.listener.accept(AcceptCondition.acceptAll(), Duration.ofMillis(100)))
                    .isInstanceOf(TimedOutException.class);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void acceptWithoutConditionAcceptsEveryRequest() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            int callers = 8;
            CompletableFuture<?>[] clients = new CompletableFuture<?>[callers];
            for (int i = 0; i < callers; i++) {
                clients[i] = f.connectAsync(ConnectOptions.builder().callerData(new byte[] {(byte) i}).build());
            }
            for (int i = 0; i < callers; i++) {
                ParleyConnection server = f.track(f.listener.accept());
                server.send(server.callerData());
            }
            for (int i = 0; i < callers; i++) {
                ParleyConnection client = (ParleyConnection) Await.result(clients[i]);
                assertThat(client.receive(Await.BOUND)).containsExactly((byte) i);
            }
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void acceptWithATimeoutFailsWhenNoRequestArrives() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> f.listener.accept(AcceptCondition.acceptAll(), Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(TimedOutException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
    }
}
