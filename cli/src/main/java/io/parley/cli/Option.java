package io.parley.cli;

/**
 * One option of a command: {@code --name VALUE} when it has a value name, a flag otherwise.
 *
 * @param name       the name without the leading dashes
 * @param valueName  how the help text names its value, or null for a flag
 * @param repeatable whether it may be given more than once
 * @param help       one line of help
 */
record Option(String name, String valueName, boolean repeatable, String help) {

    /** An option with a value, given at most once. */
    static Option value(String name, String valueName, String help) {
        return new Option(name, valueName, false, help);
    }

    /** An option with a value that may be given several times. */
    static Option repeatable(String name, String valueName, String help) {
        return new Option(name, valueName, true, help);
    }

    /** True if the option takes a value. */
    boolean takesValue() {
        return valueName != null;
    }

    /** How the option is written: {@code --name VALUE}. */
    String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}
