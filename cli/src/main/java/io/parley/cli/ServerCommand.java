package io.parley.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** {@code parley totals-server}: serves totals clients until SIGINT or SIGTERM. */
final class ServerCommand implements Command {
    /** How long a stopping server lets sessions in progress finish. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "totals-server";
    }

    @Override
    public String summary() {
        return "the totals server: answers each client's total with the running total";
    }

    @Override
    public String description() {
        return """
                Serves totals clients: prints one line "listening on HOST:PORT", then logs to standard error
                until SIGINT or SIGTERM, when it stops accepting, lets sessions in progress finish within
                %d s and exits 0.""".formatted(SHUTDOWN_GRACE.toSeconds());
    }

    @Override
    public String synopsis() {
        return "--port P [--host H] [--data-dir D] [--max-clients K] [--deny NAME]...";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("port", "P", "the port to listen on; 0 picks a free one (printed)"),
                Option.value("host", "H", "the address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                        + "interface)"),
                Option.value("data-dir", "D", "where the running total is stored durably (default "
                        + "~/.parley/totals)"),
                Option.value("max-clients", "K", "at most K sessions at once; further requests are deferred "
                        + "until one ends\n(default: no limit)"),
                Option.repeatable("deny", "NAME", "refuse the client NAME, with the reason \"name NAME is "
                        + "denied\""));
    }

    @Override
    public String notes() {
        return """
                A client that ends without its disconnect (killed, reset) adds nothing. The running total is
                stored (written, forced to disk, renamed atomically) before the grand total is sent, so after a
                crash it is at least every grand total ever told. A session idle for %d minutes, or one that
                sends a malformed request or total, is aborted (APPLICATION_ABORT with the reason as text).
                A request must arrive whole within %d s; at most %d wait for a decision (more are refused with
                QUEUE_FULL). The server takes at most %d bytes of caller data (a name), %d-byte messages and
                %d bytes of disconnect data. Refusals, limits and data formats are described in docs/totals.md.
                Exit status: 0 after SIGINT or SIGTERM; 1 if the server cannot start (port in use, data
                directory in use by another server or unreadable, bad usage).
                """.formatted(ServerSession.IDLE_TIMEOUT.toMinutes(), TotalsServer.HANDSHAKE_TIMEOUT.toSeconds(),
                TotalsServer.BACKLOG, ClientName.MAX_BYTES, TotalsServer.MAX_MESSAGE,
                TotalsServer.MAX_DISCONNECT_DATA);
    }

    @Override
    public int run(Arguments arguments, Streams streams) throws UsageException, IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(HostPort.resolve(arguments.text("host", "127.0.0.1")),
                (int) arguments.number("port", 0, 65_535));
        Path dataDir = Path.of(arguments.text("data-dir", defaultDataDir().toString()));
        int maxClients = (int) arguments.number("max-clients", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        Set<String> denied = new LinkedHashSet<>(arguments.all("deny"));
        for (String name : denied) {
            if (!ClientName.isValid(name)) {
                throw new UsageException("--deny " + name + " is not a valid client name");
            }
        }
        Consumer<String> log = line -> streams.err().println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS)
                + " " + line);
        try (RunningTotal total = RunningTotal.open(dataDir)) {
            TotalsServer server = TotalsServer.start(address, denied, maxClients, total, report -> { }, log);
            log.accept("data directory " + total.directory().toAbsolutePath() + ", running total "
                    + total.current() + (denied.isEmpty() ? "" : ", denying " + String.join(", ", denied))
                    + (maxClients == Integer.MAX_VALUE ? "" : ", at most " + maxClients + " clients at once"));
            streams.out().println("listening on " + HostPort.format(server.address()));
            streams.out().flush();
            Thread stopper = new Thread(() -> stop(server, streams, log), "parley-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                server.serve();
            } catch (IOException e) {
                if (withdraw(stopper)) {
                    throw e;
                }
            }
            stopper.join(); // serve returned because the stopper closed the listener; it ends the process
            return ExitCode.OK.code();
        }
    }

    /** The running total's home when --data-dir is not given. */
    static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".parley", "totals");
    }

    /** Withdraws the stopper unless a signal already started it; true if withdrawn. */
    private static boolean withdraw(Thread stopper) {
        try {
            return Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            return false; // the JVM is shutting down: the stopper runs and ends the process
        }
    }

    /** Runs on SIGINT or SIGTERM: stops the server, then ends the process with status 0. */
    private static void stop(TotalsServer server, Streams streams, Consumer<String> log) {
        log.accept("stopping: no new connections");
        try {
            server.shutdown(SHUTDOWN_GRACE);
        } catch (IOException e) {
            log.accept("stopping failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.accept("stopping interrupted");
        }
        streams.out().flush();
        streams.err().flush();
        // A JVM ended by a signal exits with 128 + the signal's number even when its shutdown hooks
        // succeed; halting here gives the status 0 a clean stop promises.
        Runtime.getRuntime().halt(ExitCode.OK.code());
    }
}
