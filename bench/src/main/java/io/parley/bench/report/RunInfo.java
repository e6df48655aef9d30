package io.parley.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/** What the page says about the run and the machine: from bench/run's run.properties and from this JVM. */
record RunInfo(Properties run) {

    static RunInfo load(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        return new RunInfo(properties);
    }

    String date() {
        return run.getProperty("date", "unknown date");
    }

    String describe() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder text = new StringBuilder();
        text.append("Run by `").append(run.getProperty("command", "bench/run")).append("` on ").append(date())
                .append(run.containsKey("commit") ? " at commit `" + run.getProperty("commit") + "`" : "")
                .append(".\n\n");
        text.append("| machine | |\n|---|---|\n");
        text.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" (")
                .append(run.getProperty("cpu", "unknown CPU")).append(") |\n");
        text.append(String.format(Locale.ROOT, "| memory | %.0f GiB |%n", os.getTotalMemorySize() / (double) (1L << 30)));
        text.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(" |\n");
        text.append("| JDK | ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        text.append("| JVM options | `").append(run.getProperty("jvm", "")).append("` |\n");
        text.append("| load average (1 min) at start / end | ").append(run.getProperty("load.start", "?")).append(" / ")
                .append(run.getProperty("load.end", "?")).append(" |\n");
        text.append("| total run time | ").append(run.getProperty("seconds", "?")).append(" s |\n");
        text.append("| rounds | ").append(run.getProperty("rounds", "see Notes")).append(" |\n");
        text.append("| caller threads | ").append(run.getProperty("caller", "virtual"))
                .append(" (the thread each trial's calling side runs on, the same for every implementation) |\n\n");
        text.append("Reproduce with `bench/run` (everything, about ").append(run.getProperty("minutes", "8"))
                .append(" minutes) or `bench/run SCENARIO` (one of lifecycle, small-messages, bulk, ping-pong, idle, "
                        + "flood, codec). The machine was shared with other builds while this ran: read the "
                        + "ranges, not only the medians.\n\n");
        return text.toString();
    }
}
