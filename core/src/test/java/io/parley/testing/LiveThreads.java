package io.parley.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The names of the live Parley threads, virtual ones included, for the leak checks. Read from the JDK's thread
 * containers (the build runs the tests with {@code -Djdk.trackAllThreads=true} and {@code jdk.internal.vm}
 * exported), not from a thread dump: the dump's snapshot of a virtual thread that is unmounting crashed the
 * Temurin 25.0.3 VM (SIGSEGV in Continuation::is_continuation_entry_frame).
 */
public final class LiveThreads {
    private LiveThreads() {
    }

    /** The names of every live thread whose name starts with "parley-", without numeric suffixes, sorted. */
    public static List<String> parleyThreadNames() {
        List<String> names = new ArrayList<>();
        allThreads().map(Thread::getName).filter(name -> name.startsWith("parley-"))
                .map(LiveThreads::withoutSuffix).forEach(names::add);
        names.sort(null);
        return names;
    }

    /** "parley-reader-41234" and "parley-reader-/127.0.0.1:7000" both become "parley-reader". */
    private static String withoutSuffix(String name) {
        int second = name.indexOf('-', "parley-".length());
        return second < 0 ? name : name.substring(0, second);
    }

    @SuppressWarnings("unchecked")
    private static Stream<Thread> allThreads() {
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            Object root = containers.getMethod("root").invoke(null);
            List<Thread> threads = new ArrayList<>();
            collect(root, container, threads);
            return threads.stream();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's thread containers cannot be read (is jdk.internal.vm"
                    + " exported to the tests?)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, Class<?> container, List<Thread> into) throws ReflectiveOperationException {
        ((Stream<Thread>) container.getMethod("threads").invoke(node)).forEach(into::add);
        for (Object child : ((Stream<Object>) container.getMethod("children").invoke(node)).toList()) {
            collect(child, container, into);
        }
    }
}
