package io.parley.bench;

import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Results;
import io.parley.bench.harness.RoundRunner;
import io.parley.bench.report.Report;
import io.parley.bench.scenario.IdleServer;
import io.parley.bench.scenario.Scenario;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's entry point, called by {@code bench/run}:
 * <pre>
 *   run SCENARIO DATA_DIR [IMPL,...]    one scenario, every implementation taking part, rounds alternating;
 *                                       writes DATA_DIR/SCENARIO.tsv
 *   report DATA_DIR OUT.md OUT.svg      the table, the ratios and the targets, from every file in DATA_DIR
 *   idle-server IMPL                    the server side of the idle scenario, in its own JVM (started by it)
 * </pre>
 */
public final class Bench {
    private Bench() {
    }

    /**
     * Dispatches the command, and always ends the JVM (Netty's and Reactor's threads would keep it alive):
     * exit 0 when everything ran, 3 when some runs failed (their figures are missing), 1 on any other failure.
     */
    public static void main(String[] args) {
        try {
            dispatch(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void dispatch(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "run" -> {
                if (args.length < 3) {
                    usage();
                }
                Scenario scenario = Scenario.ofId(args[1]);
                List<Impl> asked = args.length > 3
                        ? Arrays.stream(args[3].split(",")).map(Impl::ofId).toList()
                        : List.of(Impl.values());
                List<Impl> impls = takingPart(scenario, asked);
                System.out.printf("%s: %s, %s%n", scenario.id(), scenario.settings(), impls);
                Results results = new RoundRunner(System.out).run(scenario.id(), impls, scenario::open,
                        scenario.settings());
                results.save(Path.of(args[2]));
                System.exit(results.anyFailed() ? 3 : 0);
            }
            case "report" -> {
                if (args.length < 4) {
                    usage();
                }
                Report.write(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
                System.exit(0);
            }
            case "idle-server" -> {
                IdleServer.main(Impl.ofId(args[1]));
                System.exit(0);
            }
            default -> usage();
        }
    }

    /** The implementations of {@code asked} that take part in {@code scenario}; a note for each left out. */
    private static List<Impl> takingPart(Scenario scenario, List<Impl> asked) {
        for (Impl impl : asked) {
            if (!scenario.takesPart(impl)) {
                System.out.printf("%s: %s skipped: %s%n", scenario.id(), impl.id(), impl.takesPart(scenario.id())
                        ? "the scenario is Parley's alone" : "it takes part only in " + impl.scenarios());
            }
        }
        return asked.stream().filter(scenario::takesPart).toList();
    }

    private static void usage() {
        System.err.println("usage: Bench run SCENARIO DATA_DIR [IMPL,...] | report DATA_DIR OUT.md OUT.svg"
                + " | idle-server IMPL");
        System.exit(2);
    }
}
