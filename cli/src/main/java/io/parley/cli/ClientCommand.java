package io.parley.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code parley totals-client}: one client session against a totals server. */
final class ClientCommand implements Command {
    private static final long MAX_TRANSACTIONS = 1_000_000_000_000L;

    @Override
    public String name() {
        return "totals-client";
    }

    @Override
    public String summary() {
        return "one client: N transactions, its total as disconnect data, prints the grand total";
    }

    @Override
    public String description() {
        return """
                Connects to a totals server with its name as caller data, performs N transactions (each a
                request the server acknowledges), sends N as disconnect data, reads the grand total from the
                server's disconnect data and prints one line: grand-total=G transactions=N""";
    }

    @Override
    public String synopsis() {
        return "--connect HOST:PORT --name NAME --transactions N [--timeout SECONDS]";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("connect", "HOST:PORT", "the server's address"),
                Option.value("name", "NAME", "this client's name: 1-64 of A-Z a-z 0-9 . _ @ -"),
                Option.value("transactions", "N", "how many transactions to perform (0 or more)"),
                Option.value("timeout", "SECONDS", "how long to wait at each step: connect (a deferred "
                        + "request included),\neach acknowledgement, the grand total (default 10)"),
                Option.value("pause-after", "K", "testing aid: after K transactions print \"paused after K "
                        + "transactions\" and\nwait for a line (or the end) on standard input"),
                Option.value("claim", "C", "testing aid: send C as the total instead of N, to see a mismatch"));
    }

    @Override
    public String notes() {
        return HelpText.exitCodes(List.of(ExitCode.values()))
                + "\nThe data formats are described in docs/totals.md.\n";
    }

    @Override
    public int run(Arguments arguments, Streams streams) throws UsageException, IOException {
        long transactions = arguments.number("transactions", 0, MAX_TRANSACTIONS);
        String name = arguments.required("name");
        if (!ClientName.isValid(name)) {
            throw new UsageException("--name must be 1 to 64 characters A-Z a-z 0-9 . _ @ -, not '" + name + "'");
        }
        ClientPlan plan = new ClientPlan(HostPort.parse(arguments.required("connect")), name, transactions,
                arguments.number("claim", transactions, 0, MAX_TRANSACTIONS),
                Duration.ofSeconds(arguments.number("timeout", 10, 1, 86_400)));
        long pauseAfter = arguments.number("pause-after", -1, 1, transactions);
        TotalsClient client = new TotalsClient(plan, done -> {
            if (done == pauseAfter) {
                streams.out().println("paused after " + done + " transactions");
                streams.out().flush();
                streams.in().readLine();
            }
        });
        ClientResult result;
        try {
            result = client.run();
        } catch (IOException e) {
            streams.err().println("parley totals-client: " + ExitCode.describe(e));
            return ExitCode.of(e).code();
        }
        streams.out().println("grand-total=" + result.answer().grandTotal() + " transactions=" + transactions);
        Optional<String> discrepancy = result.discrepancy();
        if (discrepancy.isPresent()) {
            streams.err().println("parley totals-client: the totals did not reconcile: " + discrepancy.get());
            return ExitCode.NOT_RECONCILED.code();
        }
        return ExitCode.OK.code();
    }
}
