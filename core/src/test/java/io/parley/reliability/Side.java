package io.parley.reliability;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ClosedException;
import io.parley.ParleyConnection;
import io.parley.ConnectionEndedException;
import io.parley.MessageTooLargeException;
import io.parley.NoListenerException;
import io.parley.NotConnectedException;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.UnsupportedProtocolException;
import io.parley.ConnectionRefusedException;
import io.parley.WouldBlockException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one side of a lifecycle did and saw: the messages it sent (those whose send returned) and received,
 * the peer's disconnect data, the first failure, its close indication and termination, and any problem
 * with the calls themselves (one that outlived its timeout, an exception of no documented type).
 */
final class Side {
    /** How much longer than its timeout a call may take on a loaded machine before it counts as hanging. */
    static final Duration SLACK = Duration.ofSeconds(5);

    final String role;
    final List<byte[]> sent = new ArrayList<>();
    final List<byte[]> received = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    ParleyConnection connection;
    /** Server: the accept's result when the request ended before it could be accepted. */
    AcceptResult abandonedRequest;
    boolean sawPeerEnd;
    byte[] peerDisconnectData;
    IOException failure;
    String failedCall;
    CloseIndication closeIndication;
    CloseIndication termination;

    Side(String role) {
        this.role = role;
    }

    /** A blocking call of the API. */
    interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call}, noting a problem if it takes longer than {@code timeout} (zero: a call documented
     * not to block) plus {@link #SLACK}, or fails with an exception the API does not document.
     */
    <T> T call(String name, Duration timeout, Call<T> call) throws IOException {
        long start = System.nanoTime();
        try {
            return call.run();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
                failedCall = name;
            }
            if (!isTyped(e)) {
                problems.add(role + " " + name + " failed with an undocumented " + e);
            }
            throw e;
        } catch (RuntimeException e) {
            problems.add(role + " " + name + " failed with an unchecked " + e);
            throw e;
        } finally {
            long took = System.nanoTime() - start;
            if (took > timeout.toNanos() + SLACK.toNanos()) {
                problems.add(role + " " + name + " took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms (timeout "
                        + timeout.toMillis() + " ms)");
            }
        }
    }

    /** As {@link #call} for calls without a result. */
    void run(String name, Duration timeout, Call<Void> call) throws IOException {
        call(name, timeout, call);
    }

    /** Waits up to {@code bound} for a connection's future; notes a problem if it does not complete. */
    CloseIndication await(String what, CompletableFuture<CloseIndication> future, Duration bound) {
        try {
            return future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            problems.add(role + " " + what + " did not complete within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            problems.add(role + " " + what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(role + " interrupted awaiting " + what);
        }
        return null;
    }

    /** True if the side's connection opened. */
    boolean opened() {
        return connection != null;
    }

    boolean closedGracefully() {
        return closeIndication != null && closeIndication.isGraceful();
    }

    boolean terminatedGracefully() {
        return termination != null && termination.isGraceful();
    }

    /** The exceptions the API documents for its calls. */
    static boolean isTyped(IOException e) {
        return e instanceof ConnectionEndedException || e instanceof TimedOutException
                || e instanceof ShutdownException || e instanceof ClosedException
                || e instanceof ConnectionRefusedException || e instanceof NoListenerException
                || e instanceof UnsupportedProtocolException || e instanceof MessageTooLargeException
                || e instanceof WouldBlockException || e instanceof NotConnectedException;
    }

    @Override
    public String toString() {
        return role + "{opened=" + opened() + ", sent=" + sent.size() + ", received=" + received.size()
                + ", peerEnd=" + sawPeerEnd + ", failure=" + (failure == null ? "-" : failedCall + ": " + failure)
                + ", closeIndication=" + closeIndication + ", termination=" + termination + "}";
    }
}
