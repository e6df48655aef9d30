package io.parley.reliability;

import io.parley.testing.LiveThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the process holds, for the leak checks: open file descriptors, Parley's threads (virtual ones
 * included), platform threads, heap after a collection, direct buffers. The management beans are reached by
 * reflection: the tests are compiled into the io.parley module, which does not read java.management.
 */
final class Resources {
    private Resources() {
    }

    /** A snapshot of the counts. */
    record Snapshot(long fds, List<String> parleyThreads, int platformThreads, long heap, long directBuffers) {
        @Override
        public String toString() {
            return fds + " fds, " + parleyThreads.size() + " Parley threads " + summary(parleyThreads) + ", "
                    + platformThreads + " platform threads, " + heap / 1024 + " KiB heap, " + directBuffers
                    + " direct buffers";
        }

        private static String summary(List<String> names) {
            return names.stream().collect(java.util.stream.Collectors.groupingBy(n -> n,
                    java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
        }
    }

    static Snapshot snapshot() {
        return new Snapshot(openFileDescriptors(), parleyThreads(), platformThreads(), usedHeapAfterGc(),
                directBufferCount());
    }

    /** Entries of /proc/self/fd: every socket, file and pipe the process holds. */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names (without numeric suffix) of every live Parley thread, virtual ones included, sorted. */
    static List<String> parleyThreads() {
        return LiveThreads.parleyThreadNames();
    }

    /** Live platform threads (virtual threads are not counted by ThreadMXBean). */
    static int platformThreads() {
        return (Integer) invoke("java.lang.management.ThreadMXBean", "getThreadCount");
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /** Direct byte buffers alive (the JDK's own socket I/O buffers among them). */
    static long directBufferCount() {
        try {
            Class<?> poolType = Class.forName("java.lang.management.BufferPoolMXBean");
            Object pools = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBeans", Class.class).invoke(null, poolType);
            long count = 0;
            for (Object pool : (List<?>) pools) {
                if ("direct".equals(poolType.getMethod("getName").invoke(pool))) {
                    count += (Long) poolType.getMethod("getCount").invoke(pool);
                }
            }
            return count;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(String beanType, String method) {
        try {
            Class<?> type = Class.forName(beanType);
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBean", Class.class).invoke(null, type);
            return type.getMethod(method).invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
