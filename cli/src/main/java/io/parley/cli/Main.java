package io.parley.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code parley} command: the totals server and client of the reference scenario, and the demo. */
public final class Main {
    private static final List<Command> COMMANDS =
            List.of(new DemoCommand(), new EventsDemoCommand(), new ServerCommand(), new ClientCommand());

    private Main() {
    }

    /**
     * Runs the command named by the first argument and exits with its status.
     *
     * @param args the command and its options; {@code help} or {@code --help} for the overview
     */
    public static void main(String[] args) {
        System.exit(run(args, Streams.system()));
    }

    /** Runs the command named by {@code args[0]} with the given streams; returns the exit status. */
    static int run(String[] args, Streams streams) {
        if (args.length == 0) {
            streams.err().print(HelpText.overview(COMMANDS));
            return ExitCode.FAILED.code();
        }
        if (List.of("help", "--help", "-h").contains(args[0])) {
            streams.out().print(HelpText.overview(COMMANDS));
            return ExitCode.OK.code();
        }
        Optional<Command> found = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst();
        if (found.isEmpty()) {
            streams.err().println("parley: unknown command '" + args[0] + "'; ./parley help lists the commands");
            return ExitCode.FAILED.code();
        }
        Command command = found.get();
        List<String> options = Arrays.asList(args).subList(1, args.length);
        if (options.contains("--help") || options.contains("-h")) {
            streams.out().print(HelpText.of(command));
            return ExitCode.OK.code();
        }
        try {
            return command.run(Arguments.parse(options, command.options()), streams);
        } catch (UsageException e) {
            streams.err().println("parley " + command.name() + ": " + e.getMessage()
                    + "\n(./parley " + command.name() + " --help shows the options)");
            return ExitCode.FAILED.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.err().println("parley " + command.name() + ": interrupted");
            return ExitCode.FAILED.code();
        } catch (java.io.IOException e) {
            streams.err().println("parley " + command.name() + ": " + ExitCode.describe(e));
            return ExitCode.of(e).code();
        }
    }
}
