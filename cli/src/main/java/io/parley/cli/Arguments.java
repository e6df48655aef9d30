package io.parley.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A command's parsed options. Accepts {@code --name value} and {@code --name=value}; rejects unknown
 * options, positional arguments, missing values and options repeated that may not be.
 */
final class Arguments {
    private final Map<String, List<String>> values;

    private Arguments(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses {@code args} against the options a command accepts. */
    static Arguments parse(List<String> args, List<Option> options) throws UsageException {
        Map<String, Option> known = options.stream().collect(Collectors.toMap(Option::name, Function.identity()));
        Map<String, List<String>> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inline = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option option = known.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name);
            }
            List<String> given = values.computeIfAbsent(name, n -> new java.util.ArrayList<>());
            if (!option.repeatable() && !given.isEmpty()) {
                throw new UsageException("--" + name + " is given more than once");
            }
            if (!option.takesValue()) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                given.add("");
            } else if (inline != null) {
                given.add(inline);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                given.add(args.get(++i));
            } else {
                throw new UsageException(option.synopsis() + " needs a value");
            }
        }
        return new Arguments(values);
    }

    /** True if the option was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value given for a repeatable option, in order; empty if none. */
    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The option's value, or {@code fallback} if it was not given. */
    String text(String name, String fallback) {
        return has(name) ? values.get(name).getFirst() : fallback;
    }

    /** The value of a required option. */
    String required(String name) throws UsageException {
        if (!has(name)) {
            throw new UsageException("--" + name + " is required");
        }
        return values.get(name).getFirst();
    }

    /** The option's value as a whole number in [min, max], or {@code fallback} if it was not given. */
    long number(String name, long fallback, long min, long max) throws UsageException {
        return has(name) ? number(name, min, max) : fallback;
    }

    /** The value of a required option as a whole number in [min, max]. */
    long number(String name, long min, long max) throws UsageException {
        String text = required(name);
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
