package io.parley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A real {@code parley} process (this JVM's java, this test's class path, {@link Main}), with its standard
 * output and error collected line by line so that a test can wait for a line, bounded in time.
 */
final class CliProcess implements AutoCloseable {
    /** Child JVMs start fast and small: many run at once on a small machine. */
    private static final List<String> JVM_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m");

    private final Process process;
    private final Writer stdin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private int openStreams = 2;

    private CliProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        collect(process.getInputStream(), out, "out");
        collect(process.getErrorStream(), err, "err");
    }

    /** Starts {@code parley args...}. */
    static CliProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(command).start());
    }

    /** Waits for a line of standard output that matches, returning it. */
    String awaitOut(Predicate<String> match, Duration bound) throws InterruptedException {
        return await(out, match, bound);
    }

    /** Waits for a line of standard error that matches, returning it. */
    String awaitErr(Predicate<String> match, Duration bound) throws InterruptedException {
        return await(err, match, bound);
    }

    /** Writes a line to the process's standard input. */
    void writeLine(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the process to end and its output to be read; returns its exit status. */
    int exitCode(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + bound + "\n" + transcript());
        }
        awaitStreamsClosed(bound);
        return process.exitValue();
    }

    /** Standard output so far, one element per line. */
    List<String> out() {
        return snapshot(out);
    }

    /** Standard error so far, one element per line. */
    List<String> err() {
        return snapshot(err);
    }

    /** Sends SIGTERM (through the process handle: Process.destroy would also close the output pipes). */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("not gone 30 s after SIGKILL");
        }
    }

    /** Both outputs, for assertion messages. */
    String transcript() {
        return "stdout:\n  " + String.join("\n  ", out()) + "\nstderr:\n  " + String.join("\n  ", err());
    }

    /** Kills the process if it still runs, without waiting for it to be gone. */
    @Override
    public void close() {
        process.toHandle().destroyForcibly();
    }

    private void collect(InputStream stream, List<String> lines, String name) {
        Thread.ofPlatform().daemon().name("cli-" + process.pid() + "-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    append(lines, line);
                }
            } catch (IOException e) {
                append(lines, "[reading " + name + " failed: " + e + "]");
            } finally {
                lock.lock();
                try {
                    openStreams--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    private void append(List<String> lines, String line) {
        lock.lock();
        try {
            lines.add(line);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private String await(List<String> lines, Predicate<String> match, Duration bound) throws InterruptedException {
        long left = bound.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String line : lines) {
                    if (match.test(line)) {
                        return line;
                    }
                }
                if (left <= 0 || openStreams == 0 && !process.isAlive()) {
                    throw new AssertionError("no such line within " + bound + "\n" + transcript());
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitStreamsClosed(Duration bound) throws InterruptedException {
        long left = bound.toNanos();
        lock.lock();
        try {
            while (openStreams > 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<String> snapshot(List<String> lines) {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }
}
