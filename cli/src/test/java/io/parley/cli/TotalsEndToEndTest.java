package io.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The totals server and clients as real processes on 127.0.0.1, as a user runs them in two terminals. */
@Timeout(120)
class TotalsEndToEndTest {
    private static final Duration LINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void fiftyConcurrentClientsEndWithAGrandTotalEqualToTheirSum() throws Exception {
        Random random = new Random(4);
        try (ServerProcess server = ServerProcess.start(dataDir)) {
            List<CliProcess> clients = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    counts.add(1L + random.nextInt(20));
                    clients.add(server.startClient("client-" + i, counts.get(i)));
                }
                List<long[]> told = new ArrayList<>(); // {grand total told, own count}
                for (int i = 0; i < 50; i++) {
                    told.add(new long[] {ServerProcess.grandTotalOf(clients.get(i), counts.get(i)), counts.get(i)});
                }
                long sum = counts.stream().mapToLong(Long::longValue).sum();
                told.sort(Comparator.comparingLong(t -> t[0]));
                assertThat(told.getLast()[0]).as("the last grand total").isEqualTo(sum);
                long previous = 0;
                for (long[] t : told) { // each client was added once, after the one told the total before
                    assertThat(t[0]).isEqualTo(previous + t[1]);
                    previous = t[0];
                }
            } finally {
                for (CliProcess client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aDeniedNameIsRefusedWithItsReason() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "--deny", "mallory", "--deny", "eve");
             CliProcess mallory = server.startClient("mallory", 3)) {
            assertThat(mallory.exitCode(ServerProcess.CLIENT_RUN)).as(mallory.transcript()).isEqualTo(2);
            assertThat(mallory.err()).anyMatch(l -> l.contains("refused: name mallory is denied"));
            assertThat(mallory.out()).isEmpty();
            assertThat(server.runClient("alice", 3)).isEqualTo(3);
        }
    }

    @Test
    void withMaxClientsOneASecondClientIsDeferredUntilTheFirstEnds() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "--max-clients", "1");
             CliProcess first = server.startClient("first", 4, "--pause-after", "2")) {
            first.awaitOut(l -> l.equals("paused after 2 transactions"), LINE);
            try (CliProcess second = server.startClient("second", 3)) {
                server.process.awaitErr(l -> l.contains("deferred second"), LINE);
                assertThat(second.out()).isEmpty();
                first.writeLine("go on");
                assertThat(ServerProcess.grandTotalOf(first, 4)).isEqualTo(4);
                assertThat(ServerProcess.grandTotalOf(second, 3)).isEqualTo(7);
            }
            server.process.awaitErr(l -> l.contains("accepted second") && l.contains("after 1 deferral"), LINE);
        }
    }

    @Test
    void aClientKilledMidSessionAddsNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir);
             CliProcess doomed = server.startClient("doomed", 10, "--pause-after", "5")) {
            doomed.awaitOut(l -> l.equals("paused after 5 transactions"), LINE);
            doomed.kill();
            server.process.awaitErr(l -> l.contains("doomed vanished after 5 transactions")
                    && l.endsWith("nothing added"), LINE);
            assertThat(server.runClient("survivor", 3)).isEqualTo(3);
        }
    }

    @Test
    void aServerKilledWithSigkillAndRestartedKeepsItsTotal() throws Exception {
        long before;
        try (ServerProcess server = ServerProcess.start(dataDir)) {
            List<CliProcess> clients = List.of(server.startClient("a", 4), server.startClient("b", 5),
                    server.startClient("c", 6));
            long told = 0;
            for (int i = 0; i < clients.size(); i++) {
                told = Math.max(told, ServerProcess.grandTotalOf(clients.get(i), 4 + i));
            }
            assertThat(told).isEqualTo(15);
            server.process.kill();
            before = told;
        }
        try (ServerProcess restarted = ServerProcess.start(dataDir)) {
            assertThat(restarted.runClient("d", 7)).isEqualTo(before + 7);
        }
    }

    @Test
    void sigtermLetsASessionInProgressFinishThenExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir);
             CliProcess client = server.startClient("late", 3, "--pause-after", "1")) {
            client.awaitOut(l -> l.equals("paused after 1 transactions"), LINE);
            server.process.terminate();
            server.process.awaitErr(l -> l.contains("waiting up to"), LINE);
            client.writeLine("go on");
            assertThat(ServerProcess.grandTotalOf(client, 3)).isEqualTo(3);
            assertThat(server.process.exitCode(LINE)).as(server.process.transcript()).isZero();
            assertThat(server.process.err()).anyMatch(l -> l.contains("stopped; running total 3"));
        }
    }
}
