package io.parley.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the operating system counted for this process (Linux /proc): read and write system calls
 * ({@code syscr}, {@code syscw} of /proc/self/io), context switches of all its threads, and the CPU time
 * the process used (user and system, every thread). A run takes a snapshot before and after, to report them
 * per message: the costs that write coalescing and thread hand-offs change. CPU time per operation is also
 * the figure least moved by other work on a shared machine, which throughput is not. Zero where /proc (or the
 * JDK's process CPU time) is not there.
 */
public record OsCounters(long syscalls, long contextSwitches, long cpuNanos) {

    /** The counters now. */
    public static OsCounters now() {
        return new OsCounters(readSyscalls(), readContextSwitches(), readCpuNanos());
    }

    /**
     * Adds "rw calls/{@code unit}", "switches/{@code unit}" and "cpu us/{@code unit}" since {@code before} to
     * {@code figures}.
     */
    public static Figures addSince(OsCounters before, long operations, String unit, Figures figures) {
        OsCounters after = now();
        if (operations > 0 && after.syscalls > 0) {
            figures.put("rw calls/" + unit, (after.syscalls - before.syscalls) / (double) operations);
            figures.put("switches/" + unit, (after.contextSwitches - before.contextSwitches) / (double) operations);
        }
        if (operations > 0 && after.cpuNanos > 0) {
            figures.put("cpu us/" + unit, (after.cpuNanos - before.cpuNanos) / 1e3 / operations);
        }
        return figures;
    }

    private static long readCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static long readSyscalls() {
        try {
            long total = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:") || line.startsWith("syscw:")) {
                    total += Long.parseLong(line.substring(6).trim());
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long readContextSwitches() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }
}
