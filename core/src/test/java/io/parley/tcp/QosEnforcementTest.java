package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.FlowSpec;
import io.parley.MessageTooLargeException;
import io.parley.NetworkEvent;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The granted QoS is enforced at the sender: MaxSduSize, the token bucket and its rate, for blocking and
 * non-blocking sends, on each side's own direction; a QoS the transport cannot honour is refused [C2, Q2, Q3].
 */
@Timeout(60)
class QosEnforcementTest {
    private static final long NS = FlowSpec.NOT_SPECIFIED;

    private static FlowSpec flow(long rate, long bucket, long maxSdu) {
        return new FlowSpec(rate, bucket, NS, NS, NS, ServiceType.BEST_EFFORT, 0, maxSdu, NS);
    }

    /** A pair whose QoS the server grants exactly as requested. */
    private static LoopbackFixture.Pair granted(LoopbackFixture fixture, Qos qos, ConnectionSettings settings)
            throws Exception {
        return fixture.pair(ConnectOptions.builder().qos(qos).settings(settings).build(),
                request -> Decision.accept(new byte[0], request.requestedQos().orElseThrow()));
    }

    @Test
    void tcpSaysItEnforcesQos() {
        assertThat(Parley.tcp().capabilities().qosEnforced()).isTrue();
    }

    @Test
    void aMessageOverTheGrantedMaxSduSizeFailsAtTheSenderAndNothingIsSent() throws Exception { // Q2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(NS, NS, 1000), FlowSpec.UNSPECIFIED),
                    ConnectionSettings.DEFAULTS);

            assertThatThrownBy(() -> pair.client().send(new byte[1001])).isInstanceOf(MessageTooLargeException.class)
                    .satisfies(e -> assertThat(((MessageTooLargeException) e).winsockError())
                            .isEqualTo(WinsockError.WSAEMSGSIZE));
            pair.client().send(new byte[1000]);
            assertThat(pair.server().receive(Await.BOUND)).hasSize(1000);
        }
    }

    @Test
    void eachSidePolicesItsOwnDirection() throws Exception { // Q1: receiving = callee to caller
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = granted(fixture, new Qos(FlowSpec.UNSPECIFIED, flow(NS, NS, 100)),
                    ConnectionSettings.DEFAULTS);

            pair.client().send(new byte[5000]);
            assertThatThrownBy(() -> pair.server().send(new byte[101])).isInstanceOf(MessageTooLargeException.class);
            assertThat(pair.server().receive(Await.BOUND)).hasSize(5000);
        }
    }

    @Test
    void nonBlockingSendsStopAtTheBucketAndWriteComesBackWithTheTokens() throws Exception { // E3, Q2
        long rate = 10_000;
        long bucket = 10_000;
        try (LoopbackFixture fixture = new LoopbackFixture(); EventWaiter waiter = EventWaiter.open()) {
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(rate, bucket, NS), FlowSpec.UNSPECIFIED),
                    ConnectionSettings.DEFAULTS);
            ParleyConnection client = pair.client();
            client.configureBlocking(false);
            EventKey key = waiter.register(client, EnumSet.of(NetworkEvent.WRITE), null);
            key.takeEvents();

            byte[] message = new byte[1000];
            long start = System.nanoTime();
            long sent = 0;
            while (true) {
                try {
                    client.send(message);
                    sent += message.length;
                } catch (WouldBlockException noTokens) {
                    break;
                }
                assertThat(sent).as("bytes sent before the tokens ran out").isLessThan(1_000_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat((double) sent).as("bucket + rate × %.3f s", seconds)
                    .isLessThanOrEqualTo(bucket + rate * seconds + message.length);
            assertThat(sent).isGreaterThanOrEqualTo(bucket);

            assertThat(waiter.await(Await.BOUND)).containsExactly(key);
            assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.WRITE);
            client.send(message);
        }
    }

    @Test
    void aBlockingSendWaitsForTokens() throws Exception { // Q2
        long rate = 100_000;
        long bucket = 10_000;
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(rate, bucket, NS), FlowSpec.UNSPECIFIED),
                    ConnectionSettings.DEFAULTS);
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                pair.client().send(new byte[(int) bucket]);
            }
            long elapsed = System.nanoTime() - start;

            long owed = TimeUnit.SECONDS.toNanos(4 * bucket) / rate; // the first message took the full bucket
            assertThat(elapsed).as("at least the time the token rate needs for the rest").isGreaterThanOrEqualTo(owed * 9 / 10);
        }
    }

    @Test
    void aSendThatCannotGetTokensWithinTheSendTimeoutTimesOutAndSendsNothing() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            ConnectionSettings timed = ConnectionSettings.DEFAULTS.withSendTimeout(Duration.ofMillis(50));
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(1, 1000, NS), FlowSpec.UNSPECIFIED), timed);

            pair.client().send(new byte[1000]);
            assertThatThrownBy(() -> pair.client().send(new byte[1000])).isInstanceOf(TimedOutException.class);
            assertThat(pair.server().receive(Await.BOUND)).hasSize(1000);
        }
    }

    @Test
    void grantingTheGuaranteedServiceAsRequestedIsRefusedWithWsaeopnotsupp() throws Exception { // C2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            FlowSpec guaranteed = new FlowSpec(1000, 1000, NS, 100, NS, ServiceType.GUARANTEED, 0, NS, NS);
            CompletableFuture<ParleyConnection> caller = fixture.connectAsync(
                    ConnectOptions.builder().qos(new Qos(guaranteed, FlowSpec.UNSPECIFIED)).build());

            AcceptResult result = fixture.listener.accept(
                    request -> Decision.accept(new byte[0], request.requestedQos().orElseThrow()), Await.BOUND);

            assertThat(result).isInstanceOf(AcceptResult.Rejected.class);
            assertThat(((AcceptResult.Rejected) result).refusal().reason()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
            assertThat(Await.failure(caller)).isInstanceOf(ConnectionRefusedException.class)
                    .satisfies(e -> assertThat(((ConnectionRefusedException) e).winsockError())
                            .isEqualTo(WinsockError.WSAEOPNOTSUPP));
        }
    }

    @Test
    void theConditionMayLowerAGuaranteedRequestToControlledLoad() throws Exception { // Q3
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            FlowSpec guaranteed = new FlowSpec(1000, 1000, NS, 100, NS, ServiceType.GUARANTEED, 0, NS, NS);
            FlowSpec lowered = new FlowSpec(1000, 1000, NS, 100, NS, ServiceType.CONTROLLED_LOAD, 0, NS, NS);
            LoopbackFixture.Pair pair = fixture.pair(
                    ConnectOptions.builder().qos(new Qos(guaranteed, FlowSpec.UNSPECIFIED)).build(),
                    request -> Decision.accept(new byte[0], new Qos(lowered, FlowSpec.UNSPECIFIED)));

            assertThat(pair.client().qos()).contains(new Qos(lowered, FlowSpec.UNSPECIFIED));
        }
    }

    @Test
    void aTokenRateOfZeroIsRefused() throws Exception { // C2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> caller = fixture.connectAsync(
                    ConnectOptions.builder().qos(new Qos(flow(0, 1000, NS), FlowSpec.UNSPECIFIED)).build());

            AcceptResult result = fixture.listener.accept(
                    request -> Decision.accept(new byte[0], request.requestedQos().orElseThrow()), Await.BOUND);

            assertThat(result).isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(caller)).isInstanceOf(ConnectionRefusedException.class);
        }
    }

    @Test
    void aDirectionGrantedNoTrafficRefusesEverySendAndTheOtherDirectionFlows() throws Exception { // Q2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            FlowSpec none = new FlowSpec(NS, NS, NS, NS, NS, ServiceType.NO_TRAFFIC, 0, NS, NS);
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(NS, NS, NS), none), ConnectionSettings.DEFAULTS);

            assertThatThrownBy(() -> pair.server().send(new byte[1])).isInstanceOf(ShutdownException.class);
            pair.client().send(new byte[] {9});
            assertThat(pair.server().receive(Await.BOUND)).containsExactly(9);
        }
    }

    @Test
    void writeComesBackWhenRoomReturnsWhileTheTokensAreStillShort() throws Exception { // E3: no lost FD_WRITE
        ConnectionSettings small = ConnectionSettings.DEFAULTS.withBufferSizes(64 * 1024, 64 * 1024);
        try (LoopbackFixture fixture = new LoopbackFixture(); EventWaiter waiter = EventWaiter.open()) {
            // A message larger than the bucket leaves with a full bucket and leaves a debt behind it.
            LoopbackFixture.Pair pair = granted(fixture, new Qos(flow(1_000_000, 64_000, NS), FlowSpec.UNSPECIFIED),
                    small);
            ParleyConnection client = pair.client();
            client.configureBlocking(false);
            EventKey key = waiter.register(client, EnumSet.of(NetworkEvent.WRITE), null);
            key.takeEvents();

            client.send(new byte[300_000]); // over the send buffer and the bucket: the next send waits for both
            assertThatThrownBy(() -> client.send(new byte[1000])).isInstanceOf(WouldBlockException.class);
            CompletableFuture<byte[]> read = fixture.async(() -> pair.server().receive());

            assertThat(waiter.await(Await.BOUND)).containsExactly(key);
            assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.WRITE);
            client.send(new byte[1000]);
            assertThat(Await.result(read)).hasSize(300_000);
        }
    }

    @Test
    void aGrantOfAServiceTheTransportCannotHonourIsRefusedToo() throws Exception { // C2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> caller = fixture.connectAsync(
                    ConnectOptions.builder().qos(new Qos(FlowSpec.UNSPECIFIED, FlowSpec.UNSPECIFIED)).build());
            FlowSpec guaranteed = new FlowSpec(1000, 1000, NS, 100, NS, ServiceType.GUARANTEED, 0, NS, NS);

            AcceptResult result = fixture.listener.accept(
                    request -> Decision.accept(new byte[0], new Qos(guaranteed, FlowSpec.UNSPECIFIED)), Await.BOUND);

            assertThat(result).isInstanceOf(AcceptResult.Rejected.class);
            assertThat(Await.failure(caller)).isInstanceOf(ConnectionRefusedException.class);
        }
    }
}
