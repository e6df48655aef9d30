package io.parley.tcp;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ConnectOptions;
import io.parley.ConnectionRefusedException;
import io.parley.Decision;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.ParleyConnection;
import io.parley.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener's registry of socket groups [A7]: a granted create makes a group with an id the listener picks,
 * a granted join enters an existing one, a join of a group that is not there is refused, and a group lives
 * while it has connections.
 */
@Timeout(60)
class GroupsTest {
    /** Grants every request its group as asked (WSAAccept's g set to the request). */
    private static final AcceptCondition AS_ASKED = request -> Decision.accept().withGroup(request.group().orElse(Group.NONE));

    private static ConnectOptions asking(GroupKind kind, long id, int priority) {
        return ConnectOptions.builder().group(new Group(kind, id, priority)).build();
    }

    @Test
    void aCreatedGroupGetsAnIdThatAJoinEnters() throws Exception { // A7
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair first = fixture.pair(asking(GroupKind.UNCONSTRAINED, 0, 1), AS_ASKED);
            Group created = first.server().group().orElseThrow();
            assertThat(created.kind()).isEqualTo(GroupKind.UNCONSTRAINED);
            assertThat(created.id()).isPositive();
            assertThat(created.priority()).isEqualTo(1);
            assertThat(first.client().group()).as("both ends agree on the group and its kind").contains(created);

            LoopbackFixture.Pair second = fixture.pair(asking(GroupKind.JOIN, created.id(), 5), AS_ASKED);

            assertThat(second.server().group()).contains(new Group(GroupKind.UNCONSTRAINED, created.id(), 5));
            assertThat(second.client().group()).as("a joiner learns the group's kind")
                    .contains(new Group(GroupKind.UNCONSTRAINED, created.id(), 5));
            LoopbackFixture.Pair other = fixture.pair(asking(GroupKind.CONSTRAINED, 0, 0), AS_ASKED);
            assertThat(other.server().group().orElseThrow().id()).as("a second group, a second id")
                    .isNotEqualTo(created.id());
            assertThat(other.server().group().orElseThrow().kind()).isEqualTo(GroupKind.CONSTRAINED);
        }
    }

    @Test
    void joiningAGroupThatIsNotThereIsRefusedBeforeTheCondition() throws Exception { // A7
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            CompletableFuture<ParleyConnection> caller = fixture.connectAsync(asking(GroupKind.JOIN, 77, 0));

            AcceptResult result = fixture.listener.accept(request -> {
                throw new AssertionError("the condition must not see a join of a group that is not there");
            }, Await.BOUND);

            assertThat(result).isInstanceOfSatisfying(AcceptResult.Rejected.class,
                    r -> assertThat(r.refusal().reason()).isEqualTo(ReasonCode.REFUSED));
            assertThat(Await.failure(caller)).isInstanceOfSatisfying(ConnectionRefusedException.class,
                    e -> assertThat(e.reasonText()).contains("no group 77"));
        }
    }

    @Test
    void aConstrainedGroupTakesCallersFromItsHostToItsAddress() throws Exception { // A7: same host, same address
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            long id = fixture.pair(asking(GroupKind.CONSTRAINED, 0, 0), AS_ASKED).server().group().orElseThrow().id();

            LoopbackFixture.Pair member = fixture.pair(asking(GroupKind.JOIN, id, 2), AS_ASKED);

            assertThat(member.server().group()).contains(new Group(GroupKind.CONSTRAINED, id, 2));
        }
    }

    @Test
    void aGroupEndsWithItsLastConnection() throws Exception { // A7: "lives until its last member closes"
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair first = fixture.pair(asking(GroupKind.UNCONSTRAINED, 0, 0), AS_ASKED);
            long id = first.server().group().orElseThrow().id();
            LoopbackFixture.Pair second = fixture.pair(asking(GroupKind.JOIN, id, 0), AS_ASKED);
            first.client().abort("done");
            Await.result(first.server().termination());
            assertThat(joinIsRefused(fixture, id)).as("one member is left").isFalse();

            second.client().abort("done");
            Await.result(second.server().termination());
            Await.until("the group ended with its last member", () -> joinIsRefused(fixture, id));
        }
    }

    /** Tries to join group {@code id}: true if refused; an accepted member leaves again at once. */
    private static boolean joinIsRefused(LoopbackFixture fixture, long id) {
        try {
            CompletableFuture<ParleyConnection> caller = fixture.connectAsync(asking(GroupKind.JOIN, id, 0));
            AcceptResult result = fixture.listener.accept(AS_ASKED, Await.BOUND);
            if (result instanceof AcceptResult.Accepted accepted) {
                accepted.connection().abort("just probing");
                Await.result(accepted.connection().termination());
                Await.result(caller).abort("just probing");
                return false;
            }
            Await.failure(caller);
            return result instanceof AcceptResult.Rejected;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
