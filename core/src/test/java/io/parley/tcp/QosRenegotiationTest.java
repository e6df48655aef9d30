package io.parley.tcp;

import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.Decision;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.FlowSpec;
import io.parley.ListenOptions;
import io.parley.MessageTooLargeException;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.OperationNotSupportedException;
import io.parley.ParleyConnection;
import io.parley.Qos;
import io.parley.QosRefusedException;
import io.parley.QosRenegotiation;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.ShutdownException;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * QoS renegotiation during a connection (SIO_SET_QOS, protocol version 2, docs/protocol.md §13): the peer's
 * QosRenegotiation decides, a grant is the QoS of both sides at once and is policed, both get FD_QOS [Q3, E1].
 */
@Timeout(60)
class QosRenegotiationTest {
    private static final long NS = FlowSpec.NOT_SPECIFIED;

    private static Qos sendingUpTo(long maxSdu) {
        return new Qos(new FlowSpec(NS, NS, NS, NS, NS, ServiceType.BEST_EFFORT, 0, maxSdu, NS), FlowSpec.UNSPECIFIED);
    }

    /**
     * A decision held until the test releases it (bounded by {@link Await#BOUND}), so that the test can act
     * while a request waits for its answer; then it grants the request, or refuses it.
     */
    private static final class HeldDecision implements QosRenegotiation {
        private final CountDownLatch deciding = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final boolean grant;

        HeldDecision(boolean grant) {
            this.grant = grant;
        }

        @Override
        public Optional<Qos> decide(Qos requested, Optional<Qos> current) {
            deciding.countDown();
            try {
                released.await(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return grant ? Optional.of(requested) : Optional.empty();
        }

        void awaitDeciding() throws InterruptedException {
            assertThat(deciding.await(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("the decision started").isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    private static LoopbackFixture.Pair pair(LoopbackFixture fixture) throws Exception {
        return fixture.pair(ConnectOptions.defaults(), AcceptCondition.acceptAll());
    }

    @Test
    void aGrantedRequestIsTheQosOfBothSidesAndIsPolicedAtOnce() throws Exception { // Q3
        ListenOptions granting = ListenOptions.builder().qosRenegotiation(QosRenegotiation.GRANT_AS_REQUESTED).build();
        try (LoopbackFixture fixture = new LoopbackFixture(granting)) {
            LoopbackFixture.Pair pair = pair(fixture);
            assertThat(pair.client().qos()).isEmpty();
            pair.client().send(new byte[5000]);

            Qos granted = pair.client().requestQos(sendingUpTo(1000), Await.BOUND);

            assertThat(granted).isEqualTo(sendingUpTo(1000));
            assertThat(pair.client().qos()).contains(granted);
            assertThatThrownBy(() -> pair.client().send(new byte[1001])).isInstanceOf(MessageTooLargeException.class);
            assertThat(pair.server().receive(Await.BOUND)).hasSize(5000);
            Await.until("the callee's QoS is the granted one", () -> pair.server().qos().equals(Optional.of(granted)));
        }
    }

    @Test
    void theDefaultRefusesAndTheQosStaysAsItWas() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = pair(fixture);

            assertThatThrownBy(() -> pair.client().requestQos(sendingUpTo(1000), Await.BOUND))
                    .isInstanceOfSatisfying(QosRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReasonCode.REFUSED));
            assertThat(pair.client().qos()).isEmpty();
            pair.client().send(new byte[5000]); // nothing is policed
        }
    }

    @Test
    void theDeciderGrantsAtMostTheRequestAndTheCallerGetsWhatItGranted() throws Exception { // Q3
        QosRenegotiation lowering = (requested, current) -> Optional.of(sendingUpTo(500));
        try (LoopbackFixture fixture = new LoopbackFixture(ListenOptions.builder().qosRenegotiation(lowering).build())) {
            LoopbackFixture.Pair pair = pair(fixture);

            assertThat(pair.client().requestQos(sendingUpTo(1000), Await.BOUND)).isEqualTo(sendingUpTo(500));
        }
    }

    @Test
    void aGrantAboveTheRequestOrAServiceThatCannotBeHonouredIsRefused() throws Exception { // C2
        QosRenegotiation greedy = (requested, current) -> Optional.of(sendingUpTo(5000));
        FlowSpec guaranteed = new FlowSpec(1000, 1000, NS, 10, NS, ServiceType.GUARANTEED, 0, NS, NS);
        QosRenegotiation guaranteeing = (requested, current) -> Optional.of(new Qos(guaranteed, FlowSpec.UNSPECIFIED));
        try (LoopbackFixture greedyFixture = new LoopbackFixture(ListenOptions.builder().qosRenegotiation(greedy).build());
             LoopbackFixture guaranteeingFixture = new LoopbackFixture(
                     ListenOptions.builder().qosRenegotiation(guaranteeing).build())) {
            ParleyConnection above = pair(greedyFixture).client();
            ParleyConnection unhonoured = pair(guaranteeingFixture).client();

            assertThatThrownBy(() -> above.requestQos(sendingUpTo(1000), Await.BOUND))
                    .isInstanceOfSatisfying(QosRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED));
            assertThatThrownBy(() -> unhonoured.requestQos(new Qos(guaranteed, FlowSpec.UNSPECIFIED), Await.BOUND))
                    .isInstanceOfSatisfying(QosRefusedException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEOPNOTSUPP));
        }
    }

    @Test
    void theCalleeMayAskTooAndTheCallersDeciderAnswers() throws Exception { // Q3: either side asks
        ConnectOptions granting = ConnectOptions.builder().qosRenegotiation(QosRenegotiation.GRANT_AS_REQUESTED).build();
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair(granting, AcceptCondition.acceptAll());
            Qos receivingUpTo100 = new Qos(FlowSpec.UNSPECIFIED,
                    new FlowSpec(NS, NS, NS, NS, NS, ServiceType.BEST_EFFORT, 0, 100, NS));

            assertThat(pair.server().requestQos(receivingUpTo100, Await.BOUND)).isEqualTo(receivingUpTo100);
            assertThatThrownBy(() -> pair.server().send(new byte[101])).isInstanceOf(MessageTooLargeException.class);
        }
    }

    @Test
    void bothSidesGetQosAndReadingTheQosReEnablesIt() throws Exception { // E1, E3 (SIO_GET_QOS)
        ListenOptions granting = ListenOptions.builder().qosRenegotiation(QosRenegotiation.GRANT_AS_REQUESTED).build();
        try (LoopbackFixture fixture = new LoopbackFixture(granting); EventWaiter waiter = EventWaiter.open()) {
            LoopbackFixture.Pair pair = pair(fixture);
            pair.client().configureBlocking(false);
            EventKey client = waiter.register(pair.client(), EnumSet.of(NetworkEvent.QOS), "client");
            EventKey server = waiter.register(pair.server(), EnumSet.of(NetworkEvent.QOS), "server");

            assertThatThrownBy(() -> pair.client().requestQos(sendingUpTo(1000), Await.BOUND))
                    .as("non-blocking: the request is on its way").isInstanceOf(WouldBlockException.class);

            Await.until("both sides got FD_QOS", () -> {
                try {
                    return waiter.await(Await.BOUND).containsAll(java.util.List.of(client, server));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            NetworkEvents clientEvents = client.takeEvents();
            assertThat(clientEvents.error(NetworkEvent.QOS)).isEqualTo(WinsockError.NO_ERROR);
            assertThat(server.takeEvents().has(NetworkEvent.QOS)).isTrue();
            assertThat(pair.client().qos()).contains(sendingUpTo(1000));

            pair.client().configureBlocking(true);
            pair.client().requestQos(sendingUpTo(800), Await.BOUND);
            assertThat(waiter.await(Await.BOUND)).contains(client); // re-enabled by the qos() read above
            assertThat(client.takeEvents().has(NetworkEvent.QOS)).isTrue();
        }
    }

    @Test
    void aRefusalIsReportedToTheRequesterAsQosWithItsError() throws Exception { // E2
        try (LoopbackFixture fixture = new LoopbackFixture(); EventWaiter waiter = EventWaiter.open()) {
            LoopbackFixture.Pair pair = pair(fixture);
            pair.client().configureBlocking(false);
            EventKey key = waiter.register(pair.client(), EnumSet.of(NetworkEvent.QOS), null);

            assertThatThrownBy(() -> pair.client().requestQos(sendingUpTo(1000), Await.BOUND))
                    .isInstanceOf(WouldBlockException.class);

            assertThat(waiter.await(Await.BOUND)).containsExactly(key);
            assertThat(key.takeEvents().error(NetworkEvent.QOS)).isEqualTo(ReasonCode.REFUSED.winsockError());
            assertThat(pair.client().qos()).isEmpty();
        }
    }

    @Test
    void aDisconnectSentBeforeTheDecisionRefusesTheRequestWithShuttingDown() throws Exception { // §13.1
        HeldDecision slow = new HeldDecision(true);
        try (LoopbackFixture fixture = new LoopbackFixture(ListenOptions.builder().qosRenegotiation(slow).build())) {
            LoopbackFixture.Pair pair = pair(fixture);
            CompletableFuture<Qos> asked = fixture.async(() -> pair.client().requestQos(sendingUpTo(1000), Await.BOUND));
            slow.awaitDeciding();

            pair.server().sendDisconnect(new byte[0]);
            slow.release();

            assertThat(Await.failure(asked)).isInstanceOfSatisfying(QosRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(ReasonCode.SHUTTING_DOWN));
            assertThat(pair.client().qos()).isEmpty();
            assertThat(pair.server().qos()).as("the late decision changes nothing").isEmpty();
        }
    }

    @Test
    void aResetEndsAWaitingRequestAndEveryLaterOne() throws Exception { // no wait outlives the connection
        HeldDecision stuck = new HeldDecision(false);
        try (LoopbackFixture fixture = new LoopbackFixture(ListenOptions.builder().qosRenegotiation(stuck).build())) {
            LoopbackFixture.Pair pair = pair(fixture);
            CompletableFuture<Qos> asked = fixture.async(() -> pair.client().requestQos(sendingUpTo(1000), Duration.ZERO));
            stuck.awaitDeciding();

            pair.server().abort("gone");

            assertThat(Await.failure(asked)).isInstanceOf(io.parley.ConnectionEndedException.class);
            CompletableFuture<Qos> later = fixture.async(() -> pair.client().requestQos(sendingUpTo(1000), Duration.ZERO));
            assertThat(Await.failure(later)).isInstanceOf(io.parley.ConnectionEndedException.class);
            stuck.release();
        }
    }

    @Test
    void afterADisconnectTheQosIsFinal() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = pair(fixture);
            pair.client().sendDisconnect(new byte[0]);

            assertThatThrownBy(() -> pair.client().requestQos(sendingUpTo(1000), Await.BOUND))
                    .isInstanceOf(ShutdownException.class);
        }
    }

    @Test
    void aPeerThatSpeaksVersionOneOnlyCannotRenegotiate() throws Exception { // §13: WSAEOPNOTSUPP
        try (ServerSocket server = new ServerSocket(0, 1, LoopbackFixture.LOOPBACK)) {
            CompletableFuture<ParleyConnection> caller = RawPeer.connectTo(server, ConnectOptions.defaults());
            try (RawPeer callee = RawPeer.accept(server)) {
                callee.socket.getOutputStream().write(RawPeer.acceptAnswer()); // preamble 1..1, ACCEPT
                try (ParleyConnection connection = Await.result(caller)) {
                    assertThatThrownBy(() -> connection.requestQos(sendingUpTo(1000), Await.BOUND))
                            .isInstanceOfSatisfying(OperationNotSupportedException.class,
                                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEOPNOTSUPP));
                }
            }
        }
    }
}
