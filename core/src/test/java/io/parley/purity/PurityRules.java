package io.parley.purity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a sans-I/O protocol core may not touch: sockets and channels, files and streams, threads, executors,
 * locks and atomics, clocks, logging (also System.out and printStackTrace), and monitors (wait/notify,
 * synchronized methods and blocks). Reflection by name (a class named in a string) is not seen.
 */
final class PurityRules {
    /** Internal-name prefixes of forbidden classes: a package ends with '/', a class name matches its kin. */
    private static final List<String> FORBIDDEN_TYPES = List.of(
            "java/net/", "java/nio/channels/", "java/nio/file/",
            "java/util/concurrent/", // executors, locks, atomics, concurrent collections
            "java/lang/Thread", // Thread, its builders, ThreadLocal, ThreadGroup
            "java/lang/InheritableThreadLocal",
            "java/time/Clock", "java/time/InstantSource",
            "java/lang/System$Logger", "java/util/logging/",
            "java/io/File", // File, FileInputStream, FileOutputStream, FileReader, FileWriter, FileDescriptor
            "java/io/RandomAccessFile", "java/io/InputStream;", "java/io/OutputStream;");
    private static final Set<String> FORBIDDEN_SYSTEM_MEMBERS = Set.of("nanoTime", "currentTimeMillis",
            "getLogger", "out", "err");
    private static final Set<String> MONITOR_METHODS = Set.of("wait()V", "wait(J)V", "wait(JI)V", "notify()V",
            "notifyAll()V");

    private PurityRules() {
    }

    /** Each violation of {@code facts}, as "class: what it does", in the order found. */
    static List<String> violations(ClassFacts facts) {
        List<String> found = new ArrayList<>();
        for (String type : facts.types()) {
            if (FORBIDDEN_TYPES.stream().anyMatch(prefix -> matches(type, prefix))) {
                found.add(facts.name() + ": refers to " + type);
            }
        }
        for (ClassFacts.Member member : facts.members()) {
            if (isForbidden(member)) {
                found.add(facts.name() + ": uses " + member);
            }
        }
        facts.synchronizedMethods().forEach(m -> found.add(facts.name() + ": synchronized method " + m));
        facts.monitorMethods().forEach(m -> found.add(facts.name() + ": monitorenter in " + m));
        return found;
    }

    /** A prefix ending with ';' names one class exactly; any other is a prefix. */
    private static boolean matches(String type, String prefix) {
        return prefix.endsWith(";") ? (type + ";").equals(prefix) : type.startsWith(prefix);
    }

    private static boolean isForbidden(ClassFacts.Member m) {
        return (m.owner().equals("java/lang/System") && FORBIDDEN_SYSTEM_MEMBERS.contains(m.name()))
                || (m.owner().startsWith("java/time/") && m.name().equals("now"))
                || (m.name().equals("printStackTrace") && m.descriptor().equals("()V"))
                || MONITOR_METHODS.contains(m.name() + m.descriptor());
    }
}
