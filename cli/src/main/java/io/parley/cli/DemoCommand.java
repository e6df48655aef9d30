package io.parley.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code parley demo}: the reference scenario in one process. A totals server on an ephemeral loopback port
 * (with a fresh running total in a temporary directory) and N clients started at once; prints the first
 * client's exchange as it happened, then every client's transactions and the grand total it was told.
 */
final class DemoCommand implements Command {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SERVER_GRACE = Duration.ofSeconds(10);
    /** At most the listener's queue of pending requests, which refuses requests beyond it. */
    private static final int MAX_CLIENTS = 100;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "the reference scenario in one process: a server, N clients, the exchange step by step";
    }

    @Override
    public String description() {
        return """
                Runs the reference scenario in this process: a totals server on an ephemeral loopback port and
                N clients at once. Prints one client's exchange as it happened, step by step with times, then
                every client's transactions and the grand total it was told.""";
    }

    @Override
    public String synopsis() {
        return "[--clients N] [--transactions M]";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("clients", "N", "how many clients run at once, 1 to " + MAX_CLIENTS + " (default 3)"),
                Option.value("transactions", "M", "how many transactions each client performs (default 5)"));
    }

    @Override
    public String notes() {
        return """
                The steps, as in the reference scenario: (1) the client sends its total as disconnect data;
                (2) the server gets the close indication, (3) receives the total, (4) adds its own count to the
                running total, (5) sends the grand total as its disconnect data, (5A) closes; (6) the client gets the
                close indication, (7) receives the grand total, (8) closes. (5A) is not synchronised with
                (6) to (8): the grand total arrives although the server closed without waiting.

                Exit status:
                  0  everything reconciled
                  1  a client or the server failed, or bad usage
                  5  the totals did not reconcile
                """;
    }

    @Override
    public int run(Arguments arguments, Streams streams) throws UsageException, IOException, InterruptedException {
        int clients = (int) arguments.number("clients", 3, 1, MAX_CLIENTS);
        long transactions = arguments.number("transactions", 5, 0, 1_000_000);
        Path dataDir = Files.createTempDirectory("parley-demo-");
        try (RunningTotal total = RunningTotal.open(dataDir)) {
            return run(clients, transactions, total, streams);
        } finally {
            deleteTree(dataDir);
        }
    }

    private int run(int clients, long transactions, RunningTotal total, Streams streams)
            throws IOException, InterruptedException {
        Map<String, SessionReport> reports = new ConcurrentHashMap<>();
        List<String> serverLog = Collections.synchronizedList(new ArrayList<>());
        TotalsServer server = TotalsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Set.of(), Integer.MAX_VALUE, total, report -> reports.put(report.client(), report), serverLog::add);
        Thread acceptor = Thread.ofPlatform().name("demo-acceptor").start(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                serverLog.add("the server stopped accepting: " + e);
            }
        });
        streams.out().println("Parley demo: a totals server on " + HostPort.format(server.address()) + " and "
                + clients + " client(s) at once, " + transactions + " transaction(s) each.\n");
        List<ClientResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        runClients(server.address(), clients, transactions, results, failures);
        server.shutdown(SERVER_GRACE);
        acceptor.join(SERVER_GRACE.toMillis());
        printExchange(results, reports, streams);
        List<String> problems = Reconciliation.problems(results, reports, total.current());
        printSummary(results, reports, total.current(), streams);
        return verdict(failures, problems, serverLog, streams);
    }

    /** Runs the clients {@code client-1} to {@code client-N}, released at the same moment. */
    private static void runClients(InetSocketAddress server, int clients, long transactions,
                                   List<ClientResult> results, List<String> failures) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ClientResult>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 1; k <= clients; k++) {
                ClientPlan plan = new ClientPlan(server, "client-" + k, transactions, transactions, CLIENT_TIMEOUT);
                runs.add(threads.submit(() -> {
                    start.await();
                    return new TotalsClient(plan, done -> { }).run();
                }));
            }
            start.countDown();
        } // waits for every client; each step of each is bounded by its timeout
        for (int k = 0; k < runs.size(); k++) {
            try {
                results.add(runs.get(k).get());
            } catch (ExecutionException e) {
                failures.add("client-" + (k + 1) + " failed: " + (e.getCause() instanceof IOException io
                        ? ExitCode.describe(io) : e.getCause().toString()));
            }
        }
    }

    private static void printExchange(List<ClientResult> results, Map<String, SessionReport> reports,
                                      Streams streams) {
        for (ClientResult shown : results) {
            SessionReport report = reports.get(shown.plan().name());
            if (report != null) {
                streams.out().println("How " + shown.plan().name() + "'s session ended, as it happened "
                        + "(ms from step (1); each side stamps its own steps):\n");
                streams.out().println(ExchangeTable.render(shown.timeline().mergedWith(report.timeline())));
                streams.out().println("(5A) is not synchronised with (6) to (8): the server closed without "
                        + "waiting, and the grand total\nstill arrived. Data formats: docs/totals.md.\n");
                return;
            }
        }
    }

    private static void printSummary(List<ClientResult> results, Map<String, SessionReport> reports,
                                     long serverTotal, Streams streams) {
        streams.out().println("Clients (and whether the server knows each got its grand total):");
        long sum = 0;
        for (ClientResult result : results) {
            sum += result.plan().transactions();
            SessionReport report = reports.get(result.plan().name());
            streams.out().printf("  %-10s %6d transaction(s), told grand total %d, %s%n", result.plan().name(),
                    result.plan().transactions(), result.answer().grandTotal(),
                    report != null && report.acknowledged() ? "acknowledged" : "UNCONFIRMED");
        }
        streams.out().println("Sum of their transactions: " + sum + "; the server's running total: "
                + serverTotal + ".");
    }

    private static int verdict(List<String> failures, List<String> problems, List<String> serverLog,
                               Streams streams) {
        if (failures.isEmpty() && problems.isEmpty()) {
            streams.out().println("Reconciled: the server counted what each client claimed, each client was "
                    + "told a total at least its own,\nand the last grand total is the sum of all transactions.");
            return ExitCode.OK.code();
        }
        streams.out().println("NOT reconciled:");
        Stream.concat(failures.stream(), problems.stream()).forEach(p -> streams.out().println("  " + p));
        streams.out().println("Server log:");
        synchronized (serverLog) {
            serverLog.forEach(line -> streams.out().println("  " + line));
        }
        return (failures.isEmpty() ? ExitCode.NOT_RECONCILED : ExitCode.FAILED).code();
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
