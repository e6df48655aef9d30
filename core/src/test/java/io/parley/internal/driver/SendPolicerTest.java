package io.parley.internal.driver;

import io.parley.FlowSpec;
import io.parley.ServiceType;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket, peak and message-size rules of a granted flow spec, on exact times (no clock). */
class SendPolicerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long T0 = 1_000 * SECOND;
    private static final long NS = FlowSpec.NOT_SPECIFIED;

    private static FlowSpec spec(long rate, long bucket, long peak, long maxSdu) {
        return new FlowSpec(rate, bucket, peak, NS, NS, ServiceType.BEST_EFFORT, 0, maxSdu, NS);
    }

    @Test
    void aFlowSpecThatLimitsNothingIsNotPoliced() {
        assertThat(SendPolicer.of(FlowSpec.UNSPECIFIED, T0)).isNull();
        assertThat(SendPolicer.of(spec(NS, 4096, NS, NS), T0)).as("a bucket without a rate limits nothing").isNull();
    }

    @Test
    void theBucketStartsFullAndRefillsAtTheTokenRate() {
        SendPolicer policer = SendPolicer.of(spec(1000, 500, NS, NS), T0);

        assertThat(policer.delay(500, T0)).isZero();
        policer.take(500, T0);
        assertThat(policer.delay(1, T0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(policer.delay(500, T0)).isEqualTo(SECOND / 2);
        assertThat(policer.delay(500, T0 + SECOND / 2)).isZero();
        assertThat(policer.delay(500, T0 + 10 * SECOND)).as("the bucket holds no more than its size").isZero();
        policer.take(500, T0 + 10 * SECOND);
        assertThat(policer.delay(1, T0 + 10 * SECOND)).isPositive();
    }

    @Test
    void aMessageLargerThanTheBucketLeavesWhenItIsFullAndThenRepaysWhatItLacked() {
        SendPolicer policer = SendPolicer.of(spec(100, 100, NS, NS), T0);

        assertThat(policer.delay(1000, T0)).isZero();
        policer.take(1000, T0);
        assertThat(policer.delay(1, T0)).isEqualTo(SECOND * 901 / 100);
    }

    @Test
    void peakBandwidthSpacesMessagesEvenWithTokensToSpare() {
        SendPolicer policer = SendPolicer.of(spec(NS, NS, 1000, NS), T0);

        policer.take(100, T0);
        assertThat(policer.delay(1, T0)).isEqualTo(SECOND / 10);
        assertThat(policer.delay(1, T0 + SECOND / 10)).isZero();
    }

    @Test
    void maxSduSizeIsTheGrantedOneOrUnlimited() {
        assertThat(SendPolicer.of(spec(NS, NS, NS, 1200), T0).maxSduSize()).isEqualTo(1200);
        assertThat(SendPolicer.of(spec(1000, NS, NS, NS), T0).maxSduSize()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aGreedySenderStaysWithinBucketPlusRateAtEveryMomentAndReachesTheRate() {
        long rate = 1_000_000;
        long bucket = 64 * 1024;
        SendPolicer policer = SendPolicer.of(spec(rate, bucket, NS, NS), T0);
        Random random = new Random(7);
        long now = T0;
        long sent = 0;
        for (int i = 0; i < 100_000 && now - T0 < 10 * SECOND; i++) {
            int size = 1 + random.nextInt((int) bucket);
            now += policer.delay(size, now);
            policer.take(size, now);
            sent += size;
            double allowed = bucket + rate * (double) (now - T0) / SECOND;
            assertThat((double) sent).as("bytes by %d ns", now - T0).isLessThanOrEqualTo(allowed + 1);
        }
        double seconds = (double) (now - T0) / SECOND;
        assertThat(seconds).isGreaterThanOrEqualTo(9.9);
        assertThat((sent - bucket) / seconds).isBetween(0.95 * rate, 1.0 * rate + 1);
    }
}
