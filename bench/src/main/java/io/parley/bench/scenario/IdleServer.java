package io.parley.bench.scenario;

import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Threads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of the idle scenario, alone in its JVM. Commands on standard input, answers on standard
 * output: {@code baseline} and {@code measure} answer {@code MEMORY <live heap> <resident outside the heap>}
 * after full collections; {@code await N} answers {@code ACCEPTED n} once N requests were accepted;
 * {@code quit} ends.
 */
public final class IdleServer {
    /** JVM options of the child: a fixed, pre-touched heap, so resident memory grows only outside it. */
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC");

    private IdleServer() {
    }

    /** Starts the child JVM serving {@code impl}. */
    static Process launch(Impl impl) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.parley.bench.Bench",
                "idle-server", impl.id()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Entry point of the child: {@code idle-server IMPL}. */
    public static void main(Impl impl) throws Exception {
        FailureLatch failures = new FailureLatch();
        try (HandshakePeer peer = Peers.handshake(impl)) {
            InetSocketAddress address = peer.startServer(Duration.ofSeconds(60), failures);
            System.out.println("PORT " + address.getPort());
            var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = commands.readLine()) != null && !command.equals("quit")) {
                if (command.equals("baseline") || command.equals("measure")) {
                    System.out.println("MEMORY " + liveHeap() + " " + residentOutsideHeap());
                } else if (command.startsWith("await ")) {
                    long wanted = Long.parseLong(command.substring(6));
                    Threads.await(() -> peer.accepted() >= wanted || failures.failed(), 300_000);
                    if (failures.failed()) {
                        System.out.println("FAILED server failed");
                        failures.rethrow("idle server");
                    }
                    System.out.println("ACCEPTED " + peer.accepted());
                }
            }
        }
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Resident anonymous memory (RssAnon); with the heap pre-touched, what grows is memory outside the heap.
     * File-backed resident pages (the JDK's libraries and module image, paged in as more of its code runs) are
     * left out: they are shared and held once, not per connection.
     */
    private static long residentOutsideHeap() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no RssAnon in /proc/self/status");
    }
}
