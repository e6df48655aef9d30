package io.parley.internal.events;

import io.parley.ClosedException;
import io.parley.EventKey;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Winsock recording rules of a registration, driven by a source whose levels the test sets: no sockets and
 * no threads, so what is recorded follows from the calls alone.
 */
class RegistrationTest {
    private static final int READ = EventSelection.bit(NetworkEvent.READ);
    private static final int WRITE = EventSelection.bit(NetworkEvent.WRITE);
    private static final int CLOSE = EventSelection.bit(NetworkEvent.CLOSE);

    /** A source with levels set by the test; it reports them as a connection does, through its selection. */
    private static final class SettableSource implements EventSource {
        final EventSelection selection = new EventSelection(new ReentrantLock(), this);
        int levels;
        WinsockError closeError = WinsockError.NO_ERROR;

        @Override
        public Set<NetworkEvent> reportable() {
            return EnumSet.of(NetworkEvent.READ, NetworkEvent.WRITE, NetworkEvent.CLOSE);
        }

        @Override
        public EventSelection selection() {
            return selection;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void reportLevels() {
            selection.report(levels, closeError);
        }

        void set(int newLevels) {
            levels = newLevels;
            reportLevels();
        }

        /** A call that re-enables {@code event}, such as a receive for READ. */
        void call(NetworkEvent event) {
            selection.reEnable(event);
            reportLevels();
        }
    }

    private final Waiter waiter = new Waiter();
    private final SettableSource source = new SettableSource();

    private EventKey register(NetworkEvent... events) throws ClosedException {
        return waiter.register(source, EnumSet.of(events[0], events), null);
    }

    @Test
    void aConditionThatHoldsAtRegistrationIsRecordedAtOnce() throws Exception {
        source.levels = READ;
        EventKey key = register(NetworkEvent.READ);

        assertThat(waiter.poll()).containsExactly(key);
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.READ);
    }

    @Test
    void readIsRecordedAgainOnlyAfterAReceiveReEnablesIt() throws Exception { // E3
        EventKey key = register(NetworkEvent.READ);
        source.set(READ);
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.READ);

        source.set(READ); // more data arrives, no receive in between
        assertThat(waiter.poll()).isEmpty();
        assertThat(key.takeEvents()).isEqualTo(NetworkEvents.NONE);

        source.call(NetworkEvent.READ); // a receive that leaves data behind
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.READ);
    }

    @Test
    void aReceiveThatEmptiesTheQueueReEnablesReadForTheNextArrival() throws Exception { // E3
        EventKey key = register(NetworkEvent.READ);
        source.set(READ);
        key.takeEvents();

        source.levels = 0;
        source.call(NetworkEvent.READ);
        assertThat(waiter.poll()).isEmpty();

        source.set(READ);
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.READ);
    }

    @Test
    void closeIsRecordedOnceWithItsErrorCode() throws Exception { // E2, E3
        EventKey key = register(NetworkEvent.CLOSE, NetworkEvent.READ);
        source.closeError = WinsockError.WSAECONNRESET;
        source.set(CLOSE);

        NetworkEvents events = key.takeEvents();
        assertThat(events.events()).containsExactly(NetworkEvent.CLOSE);
        assertThat(events.error(NetworkEvent.CLOSE)).isEqualTo(WinsockError.WSAECONNRESET);

        source.call(NetworkEvent.READ);
        source.call(NetworkEvent.CLOSE);
        assertThat(key.takeEvents()).isEqualTo(NetworkEvents.NONE);
    }

    @Test
    void eventsOutsideTheInterestAreNotRecorded() throws Exception {
        EventKey key = register(NetworkEvent.WRITE);
        source.set(READ | CLOSE);
        assertThat(waiter.poll()).isEmpty();

        source.set(READ | WRITE | CLOSE);
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.WRITE);
    }

    @Test
    void aNewInterestClearsTheRecordAndRecordsWhatHoldsNow() throws Exception {
        EventKey key = register(NetworkEvent.READ);
        source.set(READ);
        source.levels = READ | WRITE;

        key.interest(EnumSet.of(NetworkEvent.WRITE));

        assertThat(key.interest()).containsExactly(NetworkEvent.WRITE);
        assertThat(key.takeEvents().events()).containsExactly(NetworkEvent.WRITE);
    }

    @Test
    void registeringTheSourceAgainCancelsTheEarlierRegistration() throws Exception {
        EventKey first = register(NetworkEvent.READ);
        source.set(READ);
        try (Waiter other = new Waiter()) {
            EventKey second = other.register(source, EnumSet.of(NetworkEvent.READ), "second");

            assertThat(first.isValid()).isFalse();
            assertThat(waiter.poll()).isEmpty();
            assertThat(first.takeEvents()).isEqualTo(NetworkEvents.NONE);
            assertThat(other.poll()).containsExactly(second);
            assertThat(second.attachment()).isEqualTo("second");
        }
    }

    @Test
    void aKeyStaysReadyUntilItsEventsAreTaken() throws Exception {
        EventKey key = register(NetworkEvent.READ);
        source.set(READ);

        assertThat(waiter.await(Duration.ofSeconds(10))).containsExactly(key);
        assertThat(waiter.await(Duration.ofSeconds(10))).containsExactly(key);
        key.takeEvents();
        assertThat(waiter.poll()).isEmpty();
    }

    @Test
    void aCancelledKeyRecordsNothingAndIsForgotten() throws Exception {
        EventKey key = register(NetworkEvent.READ);
        key.cancel();
        source.set(READ);

        assertThat(waiter.poll()).isEmpty();
        assertThat(waiter.registrationCount()).isZero();
        assertThatThrownBy(() -> key.interest(EnumSet.of(NetworkEvent.READ))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventTheSourceCannotReportIsRefused() {
        assertThatThrownBy(() -> waiter.register(source, EnumSet.of(NetworkEvent.ACCEPT), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWakeUpEndsAWaitWithNoKeysAndAClosedWaiterRefusesEverything() throws Exception {
        waiter.wakeup();
        assertThat(waiter.await()).isEmpty();

        EventKey key = register(NetworkEvent.READ);
        waiter.close();
        assertThat(key.isValid()).isFalse();
        assertThatThrownBy(waiter::poll).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> register(NetworkEvent.READ)).isInstanceOf(ClosedException.class);
    }
}
