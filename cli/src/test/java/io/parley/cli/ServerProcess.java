package io.parley.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real {@code parley totals-server} process on 127.0.0.1 and a free port, and clients for it. */
final class ServerProcess implements AutoCloseable {
    static final Duration STARTUP = Duration.ofSeconds(30);
    static final Duration CLIENT_RUN = Duration.ofSeconds(60);

    final CliProcess process;
    final String address;

    private ServerProcess(CliProcess process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts a server on {@code dataDir} with extra options and waits for its "listening on" line. */
    static ServerProcess start(Path dataDir, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("totals-server", "--host", "127.0.0.1", "--port", "0",
                "--data-dir", dataDir.toString()));
        args.addAll(List.of(options));
        CliProcess process = CliProcess.start(args.toArray(String[]::new));
        String line = process.awaitOut(l -> l.startsWith("listening on "), STARTUP);
        return new ServerProcess(process, line.substring("listening on ".length()));
    }

    /** Starts a client of this server; it is not waited for. */
    CliProcess startClient(String name, long transactions, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("totals-client", "--connect", address, "--name", name,
                "--transactions", Long.toString(transactions), "--timeout", "30"));
        args.addAll(List.of(options));
        return CliProcess.start(args.toArray(String[]::new));
    }

    /** Runs a client to its end and returns the grand total it printed, requiring exit status 0. */
    long runClient(String name, long transactions) throws IOException, InterruptedException {
        try (CliProcess client = startClient(name, transactions)) {
            return grandTotalOf(client, transactions);
        }
    }

    /** Waits for a client that must succeed and returns the grand total it printed last. */
    static long grandTotalOf(CliProcess client, long transactions) throws InterruptedException {
        int status = client.exitCode(CLIENT_RUN);
        if (status != 0 || client.out().isEmpty()) {
            throw new AssertionError("client exited " + status + "\n" + client.transcript());
        }
        String line = client.out().getLast();
        String suffix = " transactions=" + transactions;
        if (!line.startsWith("grand-total=") || !line.endsWith(suffix)) {
            throw new AssertionError("unexpected output: " + line);
        }
        return Long.parseLong(line.substring("grand-total=".length(), line.length() - suffix.length()));
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() {
        process.close();
    }
}
