package io.parley.cli;

import java.util.List;

/** Renders the help of the {@code parley} command and of each subcommand. */
final class HelpText {

    private HelpText() {
    }

    /** The overview: every command with its summary. */
    static String overview(List<Command> commands) {
        StringBuilder text = new StringBuilder("""
                usage: ./parley COMMAND [OPTIONS]      (./parley COMMAND --help shows a command's options)

                Parley's reference scenario: clients report their transaction totals as disconnect data, the
                server answers with the running total over all clients as its own disconnect data.

                Commands:
                """);
        for (Command command : commands) {
            text.append(row(command.name(), command.summary()));
        }
        text.append(row("test", "runs the whole test suite (./mvnw verify) with the JDK the launcher found"));
        text.append(row("help", "shows this text"));
        return text.toString();
    }

    /** A command's help: usage line, description, options, notes. */
    static String of(Command command) {
        StringBuilder text = new StringBuilder("usage: ./parley " + command.name() + " " + command.synopsis()
                + "\n\n" + command.description() + "\n\nOptions:\n");
        for (Option option : command.options()) {
            text.append(row(option.synopsis(), option.help() + (option.repeatable() ? " (repeatable)" : "")));
        }
        text.append(row("--help", "shows this text"));
        if (!command.notes().isEmpty()) {
            text.append('\n').append(command.notes());
        }
        return text.toString();
    }

    /** The exit statuses, one per line, for the notes of a command. */
    static String exitCodes(List<ExitCode> codes) {
        StringBuilder text = new StringBuilder("Exit status:\n");
        for (ExitCode code : codes) {
            text.append("  ").append(code.code()).append("  ").append(code.meaning()).append('\n');
        }
        return text.toString();
    }

    /** Two columns; the right one's continuation lines are indented to it. */
    private static String row(String left, String right) {
        String indent = " ".repeat(24);
        String padded = left.length() < 22 ? left + " ".repeat(22 - left.length()) : left + "\n" + indent;
        return "  " + padded + right.replace("\n", "\n" + indent) + "\n";
    }
}
