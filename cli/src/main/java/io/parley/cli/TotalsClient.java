package io.parley.cli;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionEndedException;
import io.parley.Parley;
import io.parley.TimedOutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The totals client: connects with its name as caller data, performs its transactions, ends with its total
 * as disconnect data (step 1) and reads the grand total (steps 6 to 8).
 */
final class TotalsClient {
    /** Told after each acknowledged transaction; may block (a test pausing the client mid-session). */
    @FunctionalInterface
    interface Progress {
        /** Transaction {@code done} (counting from 1) was acknowledged. */
        void transactionDone(long done) throws IOException;
    }

    private final ClientPlan plan;
    private final Progress progress;

    /** A client that will carry out {@code plan}. */
    TotalsClient(ClientPlan plan, Progress progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /**
     * Runs the session.
     *
     * @throws io.parley.ConnectionRefusedException the server refused, with its reason
     * @throws io.parley.UnsupportedProtocolException the server shares no protocol version with this client,
     *                                               or does not speak Parley
     * @throws ConnectionEndedException             the connection was reset or aborted
     * @throws TimedOutException                    a step took longer than the plan's timeout
     * @throws WireFormatException                  the server's data does not follow the totals formats
     */
    ClientResult run() throws IOException {
        Timeline timeline = new Timeline();
        ConnectOptions options = ConnectOptions.builder()
                .callerData(Text.utf8(plan.name()))
                .connectTimeout(plan.timeout())
                .build();
        ParleyConnection connection = Parley.tcp().connect(plan.server(), options);
        try {
            CompletableFuture<CloseIndication> closeIndication =
                    timeline.stampWhenDone(connection.closeIndication(), Step.CLIENT_CLOSE_INDICATION);
            Greeting greeting = Greeting.parse(connection.calleeData());
            for (long i = 1; i <= plan.transactions(); i++) {
                transact(connection, i);
                progress.transactionDone(i);
            }
            byte[] total = ClientTotal.encode(plan.claim());
            timeline.stamp(Step.CLIENT_SENDS_TOTAL, "sendDisconnect " + Text.quote(total));
            connection.sendDisconnect(total);
            await(closeIndication);
            if (connection.receive(plan.timeout()) != null) {
                throw new WireFormatException("the server sent a message after the last acknowledgement");
            }
            GrandTotal answer = GrandTotal.parse(connection.receiveDisconnect());
            timeline.stamp(Step.CLIENT_RECEIVES_GRAND_TOTAL, "receiveDisconnect -> grand total "
                    + answer.grandTotal());
            timeline.stamp(Step.CLIENT_CLOSES, "close()");
            connection.close();
            return new ClientResult(plan, greeting, answer, timeline);
        } finally {
            connection.close(); // after a failure; after step (8) it does nothing
        }
    }

    private void transact(ParleyConnection connection, long i) throws IOException {
        connection.send(Transaction.request(i));
        byte[] ack = connection.receive(plan.timeout());
        if (ack == null) {
            throw new WireFormatException("the server ended its sending before acknowledging transaction " + i);
        }
        long acknowledged = Transaction.parseAck(ack);
        if (acknowledged != i) {
            throw new WireFormatException("the server acknowledged transaction " + acknowledged + " instead of " + i);
        }
    }

    /** Waits for the close indication as stamped (step 6), so that it is recorded before step (7). */
    private void await(CompletableFuture<CloseIndication> closeIndication) throws IOException {
        CloseIndication indication;
        try {
            indication = closeIndication.get(plan.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimedOutException("no grand total within " + plan.timeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the grand total");
        } catch (ExecutionException e) {
            throw new IOException("the close indication failed", e.getCause());
        }
        if (!indication.isGraceful()) {
            throw ConnectionEndedException.of(indication);
        }
    }
}
