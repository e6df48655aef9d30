package io.parley.cli;

import io.parley.AcceptResult;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import io.parley.ParleyConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each outcome of {@code parley totals-client} has its exit status, run in-process against small servers. */
@Timeout(60)
class ClientExitStatusTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The preamble's magic (protocol §3): {@code 0x8F P A R L E Y \n}. */
    private static final byte[] MAGIC = HexFormat.of().parseHex("8f5041524c45590a");
    /** How long a fake server waits for each read. */
    private static final int READ_BOUND_MILLIS = 20_000;

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
                try {
                    AcceptResult result = listener.accept(request -> Decision.accept(new Greeting("test", 0).encode()));
                    if (!(result instanceof AcceptResult.Accepted accepted)) {
                        throw new AssertionError("not accepted: " + result);
                    }
                    try (ParleyConnection connection = accepted.connection()) {
                        connection.receive();
                        connection.abort("no more");
                    }
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
    void aServerSpeakingAnotherProtocolVersionIsARefusalAndExitsTwo() throws Exception { // §3, [C2]
        byte[] version3Only = concat(MAGIC, new byte[] {3, 3}); // this client speaks versions 1 to 2
        try (FakeServer server = FakeServer.answering(version3Only)) {
            InProcess client = client(server.address(), "--name", "behind", "--transactions", "1");
            byte[] read = server.whatTheCallerSent();

            assertThat(client.status()).as(client.transcript()).isEqualTo(2);
            assertThat(client.err()).anyMatch(l -> l.startsWith("parley totals-client: refused: ")
                    && l.contains("3..3"));
            assertThat(client.out()).isEmpty();
            assertThat(Arrays.copyOf(read, 10)).as("the client's preamble: versions 1 to 2")
                    .isEqualTo(concat(MAGIC, new byte[] {1, 2}));
            assertThat(read.length).as("the CONNECT came pipelined behind the preamble").isGreaterThan(10);
            assertThat(read[10]).as("CONNECT's frame type").isEqualTo((byte) 0x01);
        }
    }

    @Test
    void aPeerThatIsNotParleyIsARefusalAndExitsTwo() throws Exception { // §3: not a Parley peer
        try (FakeServer server = FakeServer.answering("HTTP/1.1 400 Bad Request\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))) {
            InProcess client = client(server.address(), "--name", "lost", "--transactions", "1");
            server.whatTheCallerSent();

            assertThat(client.status()).as(client.transcript()).isEqualTo(2);
            assertThat(client.err()).anyMatch(l -> l.contains("refused: the server does not speak this client's "
                    + "protocol"));
        }
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * A TCP server on 127.0.0.1 for one caller: it reads the caller's 10-byte preamble, answers with fixed
     * bytes, then reads what else the caller sends until the caller closes (end of stream or reset).
     */
    private static final class FakeServer implements AutoCloseable {
        private final ServerSocket socket;
        private final ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor();
        private final Future<byte[]> read;

        private FakeServer(byte[] answer) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            read = thread.submit(() -> serveOnce(answer));
        }

        /** Listens on a free loopback port; the first caller gets {@code answer} after its preamble. */
        static FakeServer answering(byte[] answer) throws IOException {
            return new FakeServer(answer);
        }

        /** Where the fake server listens. */
        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        /** Everything the caller sent before it closed; fails if it did not close within the bound. */
        byte[] whatTheCallerSent() throws Exception {
            return read.get(2L * READ_BOUND_MILLIS, TimeUnit.MILLISECONDS);
        }

        private byte[] serveOnce(byte[] answer) throws IOException {
            try (Socket caller = socket.accept()) {
                caller.setSoTimeout(READ_BOUND_MILLIS);
                InputStream in = caller.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                received.write(in.readNBytes(10)); // the preamble: the caller sends before it reads
                caller.getOutputStream().write(answer);
                caller.getOutputStream().flush();
                byte[] chunk = new byte[4096];
                try {
                    // ends when the caller closes; a read that waits too long, or too much data, fails it
                    for (int n; (n = in.read(chunk)) >= 0; ) {
                        received.write(chunk, 0, n);
                        if (received.size() > 1 << 20) {
                            throw new AssertionError("the caller sent more than 1 MiB");
                        }
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the caller did not close within " + READ_BOUND_MILLIS + " ms", e);
                } catch (SocketException e) {
                    // reset: the caller closed with our answer unread, which is closing too
                }
                return received.toByteArray();
            }
        }

        /** Stops listening and interrupts a caller's session still in progress. */
        @Override
        public void close() throws IOException {
            socket.close();
            thread.shutdownNow();
        }
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
