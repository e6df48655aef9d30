package io.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley events-demo}: one platform thread serves every client's totals exchange, all held at once. */
@Timeout(120)
class EventsDemoTest {

    @Test
    void servesEveryClientHeldOpenAtOnceAndReconciles() { // E4
        InProcess demo = InProcess.run("events-demo", "--clients", "300");

        assertThat(demo.status()).as(demo.transcript()).isZero();
        assertThat(demo.out()).anyMatch(l -> l.startsWith("All 300 connected in ")
                && l.endsWith("; the server held 300 open at once."));
        assertThat(demo.out()).anyMatch(l -> l.contains("the last grand total is 45150 (1 + ... + 300 = 45150)"));
        assertThat(demo.out()).anyMatch(l -> l.startsWith("Reconciled:"));
    }

    @Test
    void rejectsBadOptionsWithStatusOne() {
        assertThat(InProcess.run("events-demo", "--clients", "0").status()).isEqualTo(1);
    }
}
