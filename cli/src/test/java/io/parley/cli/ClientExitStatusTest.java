package io.parley.cli;

import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each outcome of {@code parley totals-client} has its exit status, run in-process against small servers. */
@Timeout(60)
class ClientExitStatusTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dataDir;

    @Test
    void aFalseClaimIsReportedAsAMismatchAndExitsFive() throws Exception {
        try (RunningTotal total = RunningTotal.open(dataDir)) {
            TotalsServer server = TotalsServer.start(ANY_LOOPBACK_PORT, Set.of(), 10, total, r -> { }, l -> { });
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    server.serve();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InProcess client = client(server.address(), "--name", "liar", "--transactions", "3", "--claim", "4");
            server.shutdown(Duration.ofSeconds(5));
            acceptor.join();

            assertThat(client.status()).as(client.transcript()).isEqualTo(5);
            assertThat(client.out()).containsExactly("grand-total=3 transactions=3");
            assertThat(client.err()).anyMatch(l -> l.contains("did not reconcile: the server counted 3"));
            assertThat(total.current()).as("the server adds what it counted").isEqualTo(3);
        }
    }

    @Test
    void noDecisionWithinTheTimeoutExitsFour() throws Exception {
        try (Listener silent = Parley.tcp().listen(ANY_LOOPBACK_PORT, ListenOptions.defaults())) {
            InProcess client = client((InetSocketAddress) silent.localAddress(), "--name", "patient",
                    "--transactions", "1", "--timeout", "1");

            assertThat(client.status()).as(client.transcript()).isEqualTo(4);
            assertThat(client.err()).anyMatch(l -> l.contains("timed out"));
        }
    }

    @Test
    void aConnectionResetMidSessionExitsThree() throws Exception {
        try (Listener listener = Parley.tcp().listen(ANY_LOOPBACK_PORT, ListenOptions.defaults())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (ParleyConnection connection = listener.accept(request -> Decision.accept(
                        new Greeting("test", 0).encode()))) {
                    connection.receive();
                    connection.abort("no more");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InProcess client = client((InetSocketAddress) listener.localAddress(), "--name", "unlucky",
                    "--transactions", "2");
            server.join();

            assertThat(client.status()).as(client.transcript()).isEqualTo(3);
            assertThat(client.err()).anyMatch(l -> l.contains("aborted or reset") && l.contains("no more"));
        }
    }

    @Test
    void nothingListeningExitsTwo() throws Exception { // C3: WSAECONNREFUSED, said as the OS says it
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        InProcess client = client(closed, "--name", "early", "--transactions", "1");

        assertThat(client.status()).as(client.transcript()).isEqualTo(2);
        assertThat(client.err()).anyMatch(l -> l.contains("refused: TCP connect to") && l.contains("Connection refused"));
    }

    @Test
    void badUsageExitsOneAndSaysWhy() {
        InProcess client = InProcess.run("totals-client", "--connect", "127.0.0.1:7", "--transactions", "1");

        assertThat(client.status()).isEqualTo(1);
        assertThat(client.err()).first().asString().contains("--name is required");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"demo", "totals-server", "totals-client"}) {
            InProcess help = InProcess.run(command, "--help");
            assertThat(help.status()).isZero();
            assertThat(help.out().getFirst()).startsWith("usage: ./parley " + command);
        }
        InProcess clientHelp = InProcess.run("totals-client", "--help");
        assertThat(clientHelp.out()).anyMatch(l -> l.matches(" +5 +the totals did not reconcile.*"));
        assertThat(InProcess.run("help").out()).anyMatch(l -> l.contains("totals-server"));
        assertThat(InProcess.run("frobnicate").status()).isEqualTo(1);
    }

    private static InProcess client(InetSocketAddress server, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "totals-client";
        args[1] = "--connect";
        args[2] = HostPort.format(server);
        System.arraycopy(options, 0, args, 3, options.length);
        return InProcess.run(args);
    }
}
