package io.parley.cli;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionEndedException;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionResetException;
import io.parley.ConnectionSettings;
import io.parley.Limits;
import io.parley.MessageTooLargeException;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the totals server answers, as docs/totals.md states it: each outcome of its conditional accept with its
 * reason code and log line, its limits, and its abort of a malformed total or request. Clients are Parley
 * connections on 127.0.0.1 that send what the totals client never would.
 */
@Timeout(60)
class TotalsServerTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int NO_LIMIT = Integer.MAX_VALUE;

    @TempDir
    Path dataDir;

    @Test
    void callerDataThatIsNoClientNameAndDeniedNamesAreRefusedWithReasonRefused() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of("eve"))) {
            for (byte[] bad : List.of(new byte[0], bytes("a b"), bytes("é"), new byte[] {(byte) 0xff})) {
                ConnectionRefusedException refused = refusal(server, bad);
                assertThat(refused.reason()).isEqualTo(ReasonCode.REFUSED);
                assertThat(refused.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
                assertThat(refused.reasonText()).startsWith("the caller data ");
            }
            ConnectionRefusedException denied = refusal(server, bytes("eve"));

            assertThat(denied.reason()).isEqualTo(ReasonCode.REFUSED);
            assertThat(denied.reasonData()).isEqualTo(bytes("name eve is denied"));
            server.awaitLog(l -> l.startsWith("refused eve from ")
                    && l.endsWith(": name eve is denied (REFUSED, WSAECONNREFUSED 10061)"), BOUND);
            server.awaitLog(l -> l.startsWith("refused a caller from ") && l.contains(": the caller data must be")
                    && l.endsWith("(REFUSED, WSAECONNREFUSED 10061)"), BOUND);
            assertThat(ExitCode.of(denied)).isEqualTo(ExitCode.REFUSED);
        }
    }

    @Test
    void callerDataLongerThanANameIsRefusedAsTooLargeBeforeTheConditionSeesIt() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of())) {
            ConnectionRefusedException refused = refusal(server, bytes("x".repeat(ClientName.MAX_BYTES + 1)));

            assertThat(refused.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
            assertThat(refused.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE);
            String longest = "y".repeat(ClientName.MAX_BYTES);
            try (ParleyConnection c = connect(server, longest)) {
                assertThat(endSession(c, 0)).isEqualTo(new GrandTotal(0, 0, 0));
            }
            server.awaitLog(l -> l.startsWith("accepted " + longest + " from "), BOUND);
            assertThat(server.logLines()).as("the condition never saw the request over the limit")
                    .noneMatch(l -> l.startsWith("refused"));
        }
    }

    @Test
    void theServerAdvertisesLimitsFittingTheFormats() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of());
             ParleyConnection c = connect(server, "measured")) {
            assertThatThrownBy(() -> c.send(new byte[TotalsServer.MAX_MESSAGE + 1]))
                    .isInstanceOf(MessageTooLargeException.class);
            assertThatThrownBy(() -> c.sendDisconnect(new byte[TotalsServer.MAX_DISCONNECT_DATA + 1]))
                    .isInstanceOf(MessageTooLargeException.class);
            c.send(Transaction.request(1)); // nothing was sent by the refused calls: the session goes on
            assertThat(Transaction.parseAck(c.receive(BOUND))).isEqualTo(1);

            assertThat(endSession(c, 1)).isEqualTo(new GrandTotal(1, 1, 1));
        }
    }

    @Test
    void aMalformedTotalIsAnsweredWithAnAbortAndAddsNothing() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of())) {
            CloseIndication end;
            try (ParleyConnection c = connect(server, "sloppy")) {
                c.send(Transaction.request(1));
                assertThat(Transaction.parseAck(c.receive(BOUND))).isEqualTo(1);
                c.sendDisconnect(bytes("seven"));
                end = c.closeIndication().get(BOUND.toSeconds(), TimeUnit.SECONDS);

                assertThatThrownBy(c::receive).isInstanceOf(ConnectionResetException.class);
            }
            assertThat(end.kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(end.reason()).isEqualTo(ReasonCode.APPLICATION_ABORT);
            assertThat(end.winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            assertThat(end.detail()).startsWith("the client's total must be a decimal number").endsWith("'seven'");
            assertThat(ExitCode.of(ConnectionEndedException.of(end))).as("the totals client's status")
                    .isEqualTo(ExitCode.ENDED);
            server.awaitLog(l -> l.startsWith("sloppy: the client's total must be")
                    && l.endsWith("connection aborted; nothing added"), BOUND);
            assertThat(server.total.current()).isZero();
        }
    }

    @Test
    void aMalformedTransactionRequestIsAnsweredWithAnAbort() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of());
             ParleyConnection c = connect(server, "chatty")) {
            c.send(bytes("hello"));

            assertThatThrownBy(() -> c.receive(BOUND)).isInstanceOfSatisfying(ConnectionResetException.class, e -> {
                assertThat(e.indication().reason()).isEqualTo(ReasonCode.APPLICATION_ABORT);
                assertThat(e.indication().detail())
                        .isEqualTo("expected a transaction request 'txn <n>', not \"hello\"");
            });
            server.awaitLog(l -> l.startsWith("chatty: expected a transaction request")
                    && l.endsWith("nothing added"), BOUND);
        }
    }

    @Test
    void aDeferredRequestWhoseCallerGivesUpIsReportedAsAbandoned() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, 1, Set.of());
             ParleyConnection first = connect(server, "first")) {
            ConnectOptions impatient = ConnectOptions.builder().callerData(bytes("second"))
                    .connectTimeout(Duration.ofSeconds(2)).build();

            assertThatThrownBy(() -> Parley.tcp().connect(server.address(), impatient))
                    .isInstanceOf(TimedOutException.class);
            server.awaitLog(l -> l.startsWith("deferred second from ")
                    && l.endsWith(": 1 of 1 clients in progress (WSATRY_AGAIN 11002)"), BOUND);
            assertThat(endSession(first, 0)).isEqualTo(new GrandTotal(0, 0, 0)); // frees the slot
            server.awaitLog(l -> l.startsWith("abandoned the request of second from ")
                    && l.endsWith("its caller withdrew it (its connect timed out, or it closed) (WSAEACCES 10013)"),
                    BOUND);
        }
    }

    @Test
    void aCallerThatCannotTakeTheGreetingIsRefusedAsTooLarge() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, NO_LIMIT, Set.of())) {
            ConnectOptions tiny = ConnectOptions.builder().callerData(bytes("tiny"))
                    .settings(ConnectionSettings.DEFAULTS.withLimits(Limits.DEFAULTS.withMaxCalleeData(8))).build();

            assertThatThrownBy(() -> Parley.tcp().connect(server.address(), tiny))
                    .isInstanceOfSatisfying(ConnectionRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
            server.awaitLog(l -> l.startsWith("refused tiny from ") && l.contains("with DATA_TOO_LARGE: it takes at "
                    + "most 8 bytes of callee data") && l.endsWith("(WSAEMSGSIZE 10040)"), BOUND);
        }
    }

    private static ParleyConnection connect(InProcessServer server, String name) throws IOException {
        return Parley.tcp().connect(server.address(), ConnectOptions.builder().callerData(bytes(name)).build());
    }

    private static ConnectionRefusedException refusal(InProcessServer server, byte[] callerData) {
        try (ParleyConnection c = Parley.tcp().connect(server.address(),
                ConnectOptions.builder().callerData(callerData).build())) {
            throw new AssertionError("accepted with the caller data " + Text.quote(callerData) + ": " + c);
        } catch (ConnectionRefusedException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("not refused but " + e, e);
        }
    }

    /** Steps (1) and (6) to (8) as the totals client takes them: the claim out, the grand total in. */
    private static GrandTotal endSession(ParleyConnection c, long claim) throws Exception {
        c.sendDisconnect(ClientTotal.encode(claim));
        assertThat(c.closeIndication().get(BOUND.toSeconds(), TimeUnit.SECONDS).isGraceful()).isTrue();
        assertThat(c.receive(BOUND)).isNull();
        GrandTotal answer = GrandTotal.parse(c.receiveDisconnect());
        c.close();
        return answer;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
