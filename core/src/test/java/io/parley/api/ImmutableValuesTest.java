package io.parley.api;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.internal.RequestSnapshot;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * API 1.0 values are immutable: what a caller passes in is copied, what an accessor hands out is a copy, and
 * absence is an empty {@link Optional}, never null.
 */
class ImmutableValuesTest {
    private static final InetSocketAddress CALLER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress CALLEE = new InetSocketAddress("127.0.0.1", 7000);

    @Test
    void aDecisionKeepsItsOwnCopyOfCalleeAndReasonData() {
        byte[] callee = {1, 2, 3};
        Decision.Accept accept = Decision.accept(callee);
        callee[0] = 9;
        accept.calleeData()[1] = 9;
        assertThat(accept.calleeData()).containsExactly(1, 2, 3);

        byte[] reason = {4, 5};
        Decision.Reject reject = Decision.reject(ReasonCode.REFUSED, reason);
        reason[0] = 9;
        reject.reasonData()[1] = 9;
        assertThat(reject.reasonData()).containsExactly(4, 5);
    }

    @Test
    void decisionsWithTheSameBytesAreEqual() {
        assertThat(Decision.accept(new byte[] {1})).isEqualTo(Decision.accept(new byte[] {1}))
                .hasSameHashCodeAs(Decision.accept(new byte[] {1})).isNotEqualTo(Decision.accept(new byte[] {2}));
        assertThat(Decision.reject(ReasonCode.REFUSED, new byte[] {1}))
                .isEqualTo(Decision.reject(ReasonCode.REFUSED, new byte[] {1}))
                .isNotEqualTo(Decision.reject(ReasonCode.QUEUE_FULL, new byte[] {1}));
    }

    @Test
    void aDecisionWithoutQosOrGroupSaysSoWithEmptyOptionals() {
        Decision.Accept accept = Decision.accept();
        assertThat(accept.grantedQos()).isEmpty();
        assertThat(accept.group()).isEmpty();
        assertThatThrownBy(() -> new Decision.Accept(new byte[0], null, Optional.empty()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aLocalOnlyReasonCannotBeARejectDecision() {
        assertThatThrownBy(() -> Decision.reject(ReasonCode.TRANSPORT_RESET, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRequestAConditionSeesCannotBeChangedThroughItsCallerData() {
        byte[] data = {7, 7};
        RequestSnapshot request = new RequestSnapshot(CALLER, CALLEE, data, Optional.empty(), Optional.empty(), 0,
                4096);
        data[0] = 0;
        request.callerData()[1] = 0;
        assertThat(request.callerData()).containsExactly(7, 7);
    }

    @Test
    void aRefusalHandsOutACopyOfItsReasonData() {
        byte[] data = {(byte) 0xff, 0x00};
        ConnectionRefusedException refused = new ConnectionRefusedException(ReasonCode.QUEUE_FULL, data);
        data[0] = 1;
        refused.reasonData()[1] = 1;
        assertThat(refused.reasonData()).containsExactly(0xff, 0x00);
        assertThat(refused.winsockError()).isEqualTo(WinsockError.WSAECONNREFUSED);
    }

    @Test
    void connectOptionsCopyTheirDataAndSayAbsenceWithEmptyOptionals() {
        byte[] callerData = {1};
        byte[] first = {2};
        ConnectOptions options = ConnectOptions.builder().callerData(callerData).firstMessage(first).build();
        callerData[0] = 0;
        first[0] = 0;
        options.callerData()[0] = 0;
        options.firstMessage().orElseThrow()[0] = 0;
        assertThat(options.callerData()).containsExactly(1);
        assertThat(options.firstMessage()).hasValueSatisfying(m -> assertThat(m).containsExactly(2));
        assertThat(ConnectOptions.defaults().qos()).isEmpty();
        assertThat(ConnectOptions.defaults().group()).isEmpty();
        assertThat(ConnectOptions.defaults().firstMessage()).isEmpty();
        assertThatThrownBy(() -> ConnectOptions.builder().qos(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ConnectOptions.builder().group(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyAcceptResultNamesItsWinsockCode() {
        RequestSnapshot request = new RequestSnapshot(CALLER, CALLEE, new byte[0], Optional.empty(),
                Optional.empty(), 0, 4096);
        assertThat(new AcceptResult.Rejected(request, Decision.reject()).winsockError())
                .isEqualTo(WinsockError.WSAECONNREFUSED);
        assertThat(new AcceptResult.Deferred(request).winsockError()).isEqualTo(WinsockError.WSATRY_AGAIN);
        assertThat(new AcceptResult.AnswerTooLarge(request, Decision.accept()).winsockError())
                .isEqualTo(WinsockError.WSAEMSGSIZE);
        assertThat(new AcceptResult.Abandoned(request, new CloseIndication(CloseIndication.Kind.RESET,
                ReasonCode.WITHDRAWN, "")).winsockError()).isEqualTo(WinsockError.WSAEACCES);
        assertThat(new AcceptResult.Abandoned(request, new CloseIndication(CloseIndication.Kind.RESET,
                ReasonCode.TRANSPORT_RESET, "")).winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
        assertThat(new AcceptResult.Abandoned(request, new CloseIndication(CloseIndication.Kind.ABORTED,
                ReasonCode.TRANSPORT_CLOSED, "")).winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
    }
}
