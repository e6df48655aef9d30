package io.parley.tcp;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionEndedException;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.Listener;
import io.parley.ListenOptions;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's server and client examples, run as written (only the port is the test's): the test first
 * checks that every line of the README's examples is here, in order, so the two cannot drift apart. The
 * client must never hang, also when the server sent megabytes before its disconnect.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    // ------------------------------------------------------------------ the README's code, as written

    static void readmeServer(int port) throws IOException {
        // Server: admit only callers that say who they are; answer with a greeting.
        try (Listener listener = Parley.tcp().listen(new InetSocketAddress("127.0.0.1", port), ListenOptions.defaults())) {
            while (true) {                                   // accept throws only on real failures (closed, interrupted)
                AcceptResult result = listener.accept(request -> request.callerData().length == 0
                        ? Decision.reject(ReasonCode.REFUSED, "say who you are".getBytes(UTF_8))
                        : Decision.accept("welcome".getBytes(UTF_8)));
                switch (result) {                            // every outcome has its Winsock code: result.winsockError()
                    case AcceptResult.Accepted a -> Thread.ofVirtual().start(() -> serve(a.connection()));
                    case AcceptResult.Rejected r ->          // WSAECONNREFUSED; a condition that threw: CONDITION_FAILED
                            System.err.println("refused " + r.request().callerId() + ": " + r.refusal().reasonText());
                    case AcceptResult.Deferred d -> { }      // CF_DEFER (WSATRY_AGAIN): the next accept presents it again
                    case AcceptResult.Abandoned g ->         // the caller gave up: WSAEACCES if withdrawn, else WSAECONNRESET
                            System.err.println(g.request().callerId() + " gave up: " + g.winsockError());
                    case AcceptResult.AnswerTooLarge t ->    // callee data over the caller's limit: refused DATA_TOO_LARGE
                            System.err.println(t.request().callerId() + " takes " + t.request().maxCalleeData() + " bytes");
                }
            }
        }
    }

    static void serve(ParleyConnection c) {
        try (c) {
            byte[] message;
            while ((message = c.receive()) != null) {    // null: the peer's disconnect arrived (recv()==0)
                c.send(message);
            }
            byte[] theirs = c.receiveDisconnect();       // WSARecvDisconnect
            c.sendDisconnect("bye".getBytes(UTF_8));     // WSASendDisconnect, then close: still delivered
        } catch (IOException e) {
            // ConnectionResetException, ConnectionAbortedException, ... each names its Winsock error
        }
    }

    static void readmeClient(int port) throws Exception {
        // Client
        ConnectOptions options = ConnectOptions.builder().callerData("alice".getBytes(UTF_8)).build();
        try (ParleyConnection c = Parley.tcp().connect(new InetSocketAddress("127.0.0.1", port), options)) {
            System.out.println(new String(c.calleeData(), UTF_8));   // "welcome"
            c.send("hello".getBytes(UTF_8));
            c.receive();
            c.sendDisconnect("1".getBytes(UTF_8));                  // my total
            while (c.receive() != null) { }                          // what the server sent before its disconnect
            byte[] answer = c.receiveDisconnect();                  // "bye"; now c.closeIndication() is complete (FD_CLOSE)
        } catch (ConnectionRefusedException e) {                    // WSAECONNREFUSED: the server's REJECT
            System.err.println(e.reason() + ": " + e.reasonText()); // REFUSED: say who you are
            byte[] data = e.reasonData();                           // the same reason data as bytes (machine-readable)
        }
    }

    static void readmeEventServer(int port) throws IOException {
        // One thread, every connection: the totals server through an EventWaiter
        try (Listener listener = Parley.tcp().listen(new InetSocketAddress("127.0.0.1", port), ListenOptions.defaults());
             EventWaiter waiter = EventWaiter.open()) {
            listener.configureBlocking(false);                       // calls say WouldBlockException instead of waiting
            waiter.register(listener, null);                         // FD_ACCEPT
            long grandTotal = 0;
            while (true) {
                for (EventKey key : waiter.await()) {                // WSAWaitForMultipleEvents: the ready keys
                    NetworkEvents events = key.takeEvents();         // WSAEnumNetworkEvents: each event with its error code
                    if (events.has(NetworkEvent.ACCEPT)             // one accept per FD_ACCEPT: it comes again while requests wait
                            && listener.accept(request -> Decision.accept(new byte[0])) instanceof AcceptResult.Accepted a) {
                        a.connection().configureBlocking(false);
                        waiter.register(a.connection(), EnumSet.of(NetworkEvent.READ, NetworkEvent.CLOSE), null);
                    }
                    if (key.source() instanceof ParleyConnection c) {
                        try {
                            if (events.has(NetworkEvent.READ)) {    // one receive per FD_READ: it comes again while messages wait
                                c.receive();
                            }
                            if (events.has(NetworkEvent.CLOSE)) {   // error 0: the peer's disconnect, after its last message
                                grandTotal += Long.parseLong(new String(c.receiveDisconnect(), UTF_8));
                                c.sendDisconnect(Long.toString(grandTotal).getBytes(UTF_8));
                                key.cancel();
                                c.close();                           // the grand total is still delivered
                            }
                        } catch (ConnectionEndedException e) {       // reset or aborted: FD_CLOSE with WSAECONNRESET, ...
                            key.cancel();
                            c.close();
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void everyLineOfTheReadmesExamplesIsTheCodeRunHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/parley/tcp/ReadmeExamplesTest.java"))
                .stream().map(String::strip).toList();
        Matcher blocks = JAVA_BLOCK.matcher(readme);
        int examples = 0;
        int at = 0;
        while (blocks.find()) {
            examples++;
            for (String line : blocks.group(1).split("\n")) {
                String expected = line.strip().replace("7000", "port");
                if (expected.isEmpty()) {
                    continue;
                }
                int found = source.subList(at, source.size()).indexOf(expected);
                assertThat(found).as("README line, in order: %s", line).isNotNegative();
                at += found + 1;
            }
        }
        assertThat(examples).as("java examples in the README").isEqualTo(3);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, LoopbackFixture.LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theClientExampleRunsAgainstTheServerExample() throws Exception {
        int port = freePort();
        CompletableFuture<Void> server = new CompletableFuture<>();
        Thread serving = Thread.ofVirtual().start(() -> {
            try {
                readmeServer(port);
            } catch (Throwable t) {
                server.completeExceptionally(t);
            }
        });
        try {
            Await.until("the server example listens", () -> connectable(port) || server.isDone());
            readmeClient(port);
        } finally {
            serving.interrupt();
        }
        assertThat(Await.failure(server)).as("the server example ends only when interrupted")
                .isInstanceOf(java.io.InterruptedIOException.class);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theClientExampleFinishesWhenTheServerSentMegabytesBeforeItsDisconnect() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            List<CloseIndication> ends = new ArrayList<>();
            CompletableFuture<byte[]> clientsTotal = f.async(() -> {
                ParleyConnection c = f.track(f.listener.accept());
                c.receive(Await.BOUND);
                for (int i = 0; i < 64; i++) { // 4 MiB, far past every buffer between the two
                    c.send(ByteBuffer.allocate(64 * 1024));
                }
                while (c.receive(Await.BOUND) != null) { }
                byte[] total = c.receiveDisconnect();
                c.sendDisconnect("bye".getBytes(UTF_8));
                c.close();
                ends.add(Await.result(c.termination()));
                return total;
            });
            readmeClient(f.address().getPort());
            assertThat(new String(Await.result(clientsTotal), UTF_8)).isEqualTo("1");
            assertThat(ends).containsExactly(CloseIndication.GRACEFUL);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theEventServerExampleServesTheTotalsOfManyClientsOnOneThread() throws Exception { // E4
        int port = freePort();
        CompletableFuture<Void> server = new CompletableFuture<>();
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                readmeEventServer(port);
            } catch (Throwable t) {
                server.completeExceptionally(t);
            }
        });
        int clients = 100; // all at once, within the example's default backlog of 128
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Await.until("the event server example listens", () -> connectable(port) || server.isDone());
            List<java.util.concurrent.Future<Long>> answers = new ArrayList<>();
            for (int i = 1; i <= clients; i++) {
                long count = i;
                answers.add(threads.submit(() -> totalsClient(port, count)));
            }
            long highest = 0;
            for (var answer : answers) {
                highest = Math.max(highest, Await.result(answer));
            }
            assertThat(highest).as("the last grand total counts every client once").isEqualTo(clients * (clients + 1L) / 2);
        } finally {
            serving.interrupt();
        }
        assertThat(Await.failure(server)).as("the server example ends only when interrupted")
                .isInstanceOf(java.io.InterruptedIOException.class);
    }

    /** A totals client: sends a few messages, then its count as disconnect data; returns the grand total. */
    private static long totalsClient(int port, long count) throws IOException {
        try (ParleyConnection c = Parley.tcp().connect(new InetSocketAddress(LoopbackFixture.LOOPBACK, port),
                ConnectOptions.defaults())) {
            for (int i = 0; i < 3; i++) {
                c.send(new byte[] {(byte) i});
            }
            c.sendDisconnect(Long.toString(count).getBytes(UTF_8));
            while (c.receive() != null) { }
            return Long.parseLong(new String(c.receiveDisconnect(), UTF_8));
        }
    }

    private static boolean connectable(int port) {
        try (java.net.Socket probe = new java.net.Socket(LoopbackFixture.LOOPBACK, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
