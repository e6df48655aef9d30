package io.parley.cli;

import io.parley.CloseIndication;
import io.parley.ParleyConnection;
import io.parley.ConnectionEndedException;
import io.parley.ReasonCode;
import io.parley.TimedOutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The server's side of one client's session, run on its own virtual thread: acknowledges and counts
 * transactions until the client's disconnect, then takes steps (2) to (5A) of the reference scenario. A
 * session that ends before the client's disconnect, or with a malformed total, adds nothing to the running
 * total.
 */
final class ServerSession implements Runnable {
    /** How long the server waits for a client's next message before it aborts the connection. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** The longest the session waits after its close for the client's acknowledgement (the drain timeout). */
    private static final Duration TERMINATION_BOUND = Duration.ofSeconds(31);

    private final ParleyConnection connection;
    private final String client;
    private final RunningTotal total;
    private final ActiveSessions sessions;
    private final Consumer<SessionReport> reports;
    private final Consumer<String> log;
    private final Timeline timeline = new Timeline();
    private final CompletableFuture<CloseIndication> closeIndication;
    private long counted;
    private boolean added;
    private boolean acknowledged;

    /** A session on an accepted connection whose caller data is the client's name; it is already active. */
    ServerSession(ParleyConnection connection, String client, RunningTotal total, ActiveSessions sessions,
                  Consumer<SessionReport> reports, Consumer<String> log) {
        this.connection = connection;
        this.client = client;
        this.total = total;
        this.sessions = sessions;
        this.reports = reports;
        this.log = log;
        this.closeIndication = timeline.stampWhenDone(connection.closeIndication(), Step.SERVER_CLOSE_INDICATION);
    }

    @Override
    public void run() {
        Optional<GrandTotal> answer = Optional.empty();
        try {
            countTransactions();
            answer = Optional.of(answerDisconnect());
        } catch (ConnectionEndedException e) {
            log.accept(client + " vanished after " + counted + " transactions (" + e.getMessage() + ")"
                    + addedOrNot());
        } catch (WireFormatException | TimedOutException e) {
            log.accept(client + ": " + e.getMessage() + "; connection aborted" + addedOrNot());
            abort(e.getMessage());
        } catch (IOException e) {
            log.accept(client + " failed after " + counted + " transactions (" + e + ")" + addedOrNot());
            abort("the server failed: " + e.getMessage());
        } finally {
            close();
            sessions.end(connection);
            reports.accept(new SessionReport(client, counted, answer, acknowledged, timeline));
        }
    }

    /** Acknowledges requests until the client's disconnect arrives (receive returns null). */
    private void countTransactions() throws IOException {
        byte[] message;
        while ((message = connection.receive(IDLE_TIMEOUT)) != null) {
            long number = Transaction.parseRequest(message);
            counted++;
            connection.send(Transaction.ack(number));
        }
    }

    /** Steps (2) to (5A): the client's total in, the grand total out, then close without waiting. */
    private GrandTotal answerDisconnect() throws IOException {
        awaitCloseIndication();
        byte[] data = connection.receiveDisconnect();
        timeline.stamp(Step.SERVER_RECEIVES_TOTAL, "receiveDisconnect -> " + Text.quote(data));
        long claimed = ClientTotal.parse(data);
        long grandTotal = total.add(counted);
        added = true;
        timeline.stamp(Step.SERVER_ADDS, "running total " + (grandTotal - counted) + " + " + counted + " = "
                + grandTotal + ", stored");
        GrandTotal answer = new GrandTotal(grandTotal, counted, claimed);
        byte[] reply = answer.encode();
        timeline.stamp(Step.SERVER_SENDS_GRAND_TOTAL, "sendDisconnect " + Text.quote(reply));
        connection.sendDisconnect(reply);
        timeline.stamp(Step.SERVER_CLOSES, "close(), returns at once");
        connection.close();
        CloseIndication end = awaitTermination();
        acknowledged = end.isGraceful();
        timeline.stamp(Step.SERVER_ENDS, "termination: " + end.kind() + (acknowledged
                ? " (the client acknowledged the grand total)" : " (the client may not have the grand total)"));
        log.accept(client + ": " + counted + " transactions, claimed " + claimed + ", running total "
                + grandTotal + (answer.reconciled() ? " (ok)" : " (MISMATCH: the client claimed " + claimed
                + ", the server counted " + counted + ")") + (acknowledged ? ", grand total acknowledged"
                : ", grand total UNCONFIRMED (" + end.kind() + "/" + end.reason() + ": the client may not have it)"));
        return answer;
    }

    /**
     * How the connection ended after the close: the close returned at once and the client's acknowledgement
     * is awaited in the background, within the drain timeout; a wait longer than that counts as unconfirmed.
     */
    private CloseIndication awaitTermination() throws IOException {
        try {
            return connection.termination().get(TERMINATION_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the end of the connection");
        } catch (ExecutionException | TimeoutException e) {
            return new CloseIndication(CloseIndication.Kind.UNCONFIRMED, ReasonCode.TIMED_OUT,
                    "no end of the connection within " + TERMINATION_BOUND.toSeconds() + " s");
        }
    }

    /**
     * Waits for the close indication as stamped, so that step (2) is recorded before step (3). It is due:
     * receive returned null because the client's disconnect arrived.
     */
    private void awaitCloseIndication() throws IOException {
        try {
            CloseIndication indication = closeIndication.get(IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!indication.isGraceful()) {
                throw ConnectionEndedException.of(indication);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the close indication");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no close indication after the client's disconnect", e);
        }
    }

    /** The end of a log line about a failed session: whether its count is in the running total. */
    private String addedOrNot() {
        return added ? "; its " + counted + " transactions were added before it failed" : "; nothing added";
    }

    /** Closes the connection; after an abort or the reference close this does nothing more. */
    private void close() {
        try {
            connection.close();
        } catch (IOException e) {
            log.accept(client + ": close failed: " + e.getMessage());
        }
    }

    /** Ends the connection abortively: the client sees a reset with {@code reason}. */
    private void abort(String reason) {
        try {
            connection.abort(reason);
        } catch (IOException e) {
            log.accept(client + ": abort failed: " + e.getMessage());
        }
    }
}
