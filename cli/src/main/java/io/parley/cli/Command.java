package io.parley.cli;

import java.io.IOException;
import java.util.List;

/** A subcommand of {@code parley}, with what its {@code --help} shows. */
interface Command {

    /** The name on the command line, such as {@code totals-client}. */
    String name();

    /** One short line saying what it does, for the overview. */
    String summary();

    /** What it does, in a paragraph, for its help. */
    String description();

    /** The options as a usage line shows them, such as {@code --port P [--host H]}. */
    String synopsis();

    /** The options it accepts. */
    List<Option> options();

    /** What the help shows after the options (exit statuses, formats), possibly empty. */
    String notes();

    /**
     * Runs the command.
     *
     * @return the process exit status
     */
    int run(Arguments arguments, Streams streams) throws UsageException, IOException, InterruptedException;
}
