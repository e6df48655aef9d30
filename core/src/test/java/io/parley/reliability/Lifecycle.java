package io.parley.reliability;

import io.parley.AcceptResult;
import io.parley.ClosedException;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import io.parley.TimedOutException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One lifecycle of the reference exchange (winsock-semantics.md, "The reference scenario") through a
 * {@link FaultProxy}: the client connects with caller data "alice" and the server accepts with "welcome";
 * the client sends its messages and WSASendDisconnect with its total; the server answers each message,
 * reads to the end (recv 0), takes the total with WSARecvDisconnect, sends the grand total with its own
 * disconnect and closes; the client reads the answers to the end, takes the grand total and closes. Any
 * failure ends a side's part: a timeout by aborting (linger 0), anything else by a plain close.
 *
 * <p>Everything random comes from the seed and the lifecycle's index, so one lifecycle can be rerun alone.
 */
final class Lifecycle {
    static final byte[] CALLER_DATA = "alice".getBytes(StandardCharsets.UTF_8);
    static final byte[] CALLEE_DATA = "welcome".getBytes(StandardCharsets.UTF_8);
    private static final int FRAGMENT = 64;

    /**
     * What one lifecycle does.
     *
     * @param callTimeout  every blocking call's timeout (short when the fault stalls, so that timeouts end it)
     * @param drainTimeout how long a graceful close may take
     */
    record Plan(long seed, int index, Fault fault, List<byte[]> messages, int total, Duration callTimeout,
                Duration drainTimeout) {

        static Plan of(long seed, int index) {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
            List<byte[]> messages = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                byte[] message = new byte[random.nextInt(300)];
                random.nextBytes(message);
                messages.add(message);
            }
            int total = random.nextInt(1000);
            Fault fault = Fault.random(random, bytesPerDirection(messages, total));
            boolean stalls = fault.kind() == Fault.Kind.STALL;
            return new Plan(seed, index, fault, messages, total,
                    stalls ? Duration.ofSeconds(1) : Duration.ofSeconds(10),
                    stalls ? Duration.ofSeconds(1) : Duration.ofSeconds(10));
        }

        byte[] totalData() {
            return Integer.toString(total).getBytes(StandardCharsets.US_ASCII);
        }

        byte[] grandTotalData() {
            return Integer.toString(total + 1000).getBytes(StandardCharsets.US_ASCII);
        }

        static byte[] reply(int index, byte[] message) {
            return ("ok:" + index + ":" + message.length).getBytes(StandardCharsets.US_ASCII);
        }

        ConnectionSettings settings() {
            return ConnectionSettings.DEFAULTS
                    .withLimits(ConnectionSettings.DEFAULTS.limits().withMaxFragmentSize(FRAGMENT))
                    .withSendTimeout(callTimeout)
                    .withDrainTimeout(drainTimeout);
        }

        /** How long the whole lifecycle may take: each side's calls, its close and its drain. */
        Duration bound() {
            return callTimeout.multipliedBy(4).plus(drainTimeout).plus(Side.SLACK.multipliedBy(2));
        }
    }

    /** The outcome of one lifecycle: what the proxy did and what each side saw. */
    record Outcome(Plan plan, FaultProxy.Link link, Side client, Side server) {
    }

    /** About how many bytes each direction carries, to place faults anywhere in the traffic. */
    static long[] bytesPerDirection(List<byte[]> messages, int total) {
        // Preamble, CONNECT or ACCEPT, DISCONNECT with its data length, and the DISCONNECT_ACK.
        long toServer = 10 + 4 + 24 + CALLER_DATA.length + 8 + String.valueOf(total).length() + 4;
        long toClient = 10 + 4 + 12 + CALLEE_DATA.length + 8 + String.valueOf(total + 1000).length() + 4;
        for (int i = 0; i < messages.size(); i++) {
            int size = messages.get(i).length;
            toServer += size + 4L * Math.max(1, (size + FRAGMENT - 1) / FRAGMENT);
            toClient += 4 + Plan.reply(i, messages.get(i)).length;
        }
        return new long[] {toServer, toClient};
    }

    private Lifecycle() {
    }

    /** Runs the lifecycle of {@code plan}: a listener, a proxy in front of it, a client and a server. */
    static Outcome run(Plan plan) throws Exception {
        ListenOptions listenOptions = ListenOptions.builder().handshakeTimeout(plan.callTimeout())
                .settings(plan.settings()).build();
        Listener listener = Parley.tcp().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                listenOptions);
        try (listener; FaultProxy proxy = FaultProxy.start((InetSocketAddress) listener.localAddress(),
                plan::fault)) {
            CompletableFuture<Side> server = async(() -> server(plan, listener));
            CompletableFuture<Side> client = async(() -> client(plan, proxy.address()));
            Side clientSide = result(client, plan.bound(), "client");
            // A request that never arrived (or died) leaves accept waiting: closing the listener ends it.
            listener.close();
            Side serverSide = result(server, plan.bound(), "server");
            FaultProxy.Link link = proxy.nextLink(Duration.ofSeconds(10));
            if (link == null) {
                throw new AssertionError("the client never reached the proxy: " + clientSide);
            }
            if (!link.awaitEnd(plan.fault().kind() == Fault.Kind.STALL ? Duration.ZERO : Duration.ofSeconds(10))) {
                if (plan.fault().kind() != Fault.Kind.STALL) {
                    clientSide.problems.add("the proxied connection did not end after both sides closed");
                }
            }
            link.close();
            return new Outcome(plan, link, clientSide, serverSide);
        }
    }

    private static Side client(Plan plan, InetSocketAddress address) {
        Side side = new Side("client");
        Duration timeout = plan.callTimeout();
        ParleyConnection connection = null;
        try {
            ConnectOptions options = ConnectOptions.builder().callerData(CALLER_DATA).connectTimeout(timeout)
                    .settings(plan.settings()).build();
            connection = side.call("connect", timeout, () -> Parley.tcp().connect(address, options));
            side.connection = connection;
            ParleyConnection c = connection;
            for (byte[] message : plan.messages()) {
                side.run("send", timeout, () -> {
                    c.send(message);
                    return null;
                });
                side.sent.add(message);
            }
            side.run("sendDisconnect", Duration.ZERO, () -> {
                c.sendDisconnect(plan.totalData());
                return null;
            });
            while (true) {
                byte[] answer = side.call("receive", timeout, () -> c.receive(timeout));
                if (answer == null) {
                    break;
                }
                side.received.add(answer);
            }
            side.sawPeerEnd = true;
            side.peerDisconnectData = side.call("receiveDisconnect", Duration.ZERO, c::receiveDisconnect);
            side.run("close", Duration.ZERO, () -> {
                c.close();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            end(side, connection, e);
        }
        awaitEnds(side, plan);
        return side;
    }

    private static Side server(Plan plan, Listener listener) {
        Side side = new Side("server");
        Duration timeout = plan.callTimeout();
        ParleyConnection connection = null;
        try {
            AcceptResult result;
            try {
                result = side.call("accept", timeout.plus(plan.bound()),
                        () -> listener.accept(request -> Decision.accept(CALLEE_DATA), timeout.plus(plan.bound())));
            } catch (ClosedException e) {
                side.failure = null; // the request never arrived whole: nothing was accepted
                side.failedCall = null;
                return side;
            }
            if (!(result instanceof AcceptResult.Accepted accepted)) {
                side.abandonedRequest = result; // the caller gave up (or the transport broke) while it was pending
                return side;
            }
            connection = accepted.connection();
            side.connection = connection;
            ParleyConnection c = connection;
            for (int i = 0; ; i++) {
                byte[] message = side.call("receive", timeout, () -> c.receive(timeout));
                if (message == null) {
                    break;
                }
                side.received.add(message);
                byte[] reply = Plan.reply(i, message);
                side.run("send", timeout, () -> {
                    c.send(reply);
                    return null;
                });
                side.sent.add(reply);
            }
            side.sawPeerEnd = true;
            byte[] total = side.call("receiveDisconnect", Duration.ZERO, c::receiveDisconnect);
            side.peerDisconnectData = total;
            byte[] grand = Integer.toString(Integer.parseInt(new String(total, StandardCharsets.US_ASCII)) + 1000)
                    .getBytes(StandardCharsets.US_ASCII);
            side.run("sendDisconnect", Duration.ZERO, () -> {
                c.sendDisconnect(grand);
                return null;
            });
            side.run("close", Duration.ZERO, () -> {
                c.close();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            end(side, connection, e);
        }
        awaitEnds(side, plan);
        return side;
    }

    /** A side's part ended early: abort after a timeout (the caller gives up), close otherwise. */
    private static void end(Side side, ParleyConnection connection, Exception e) {
        if (e instanceof RuntimeException) {
            side.problems.add(side.role + " failed with " + e);
        }
        if (connection == null) {
            return;
        }
        try {
            if (e instanceof TimedOutException) {
                side.run("abort", Duration.ZERO, () -> {
                    connection.abort("caller timeout");
                    return null;
                });
            } else {
                side.run("close", Duration.ZERO, () -> {
                    connection.close();
                    return null;
                });
            }
        } catch (IOException | RuntimeException again) {
            side.problems.add(side.role + " could not end its connection: " + again);
        }
    }

    private static void awaitEnds(Side side, Plan plan) {
        if (side.connection != null) {
            Duration bound = plan.drainTimeout().plus(plan.callTimeout()).plus(Side.SLACK);
            side.closeIndication = side.await("close indication", side.connection.closeIndication(), bound);
            side.termination = side.await("termination", side.connection.termination(), bound);
        }
    }

    private interface Work<T> {
        T call() throws Exception;
    }

    private static <T> CompletableFuture<T> async(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("lifecycle").start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static <T> T result(CompletableFuture<T> future, Duration bound, String what) throws Exception {
        try {
            return future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the " + what + " side hung: no result within " + bound.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the " + what + " side failed", e.getCause());
        }
    }
}
