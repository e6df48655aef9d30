package io.parley.internal.events;

import io.parley.EventKey;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.WinsockError;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link EventKey}: the Winsock event record of one source. An event is recorded when its condition holds
 * and it is enabled; recording disables it until a re-enabling call [E3]; CONNECT and CLOSE are recorded
 * once [E2]. Updated by its source under the source's lock; the lock order is source, registration, waiter.
 */
public final class Registration implements EventKey {
    private static final int ONCE = EventSelection.bit(NetworkEvent.CONNECT) | EventSelection.bit(NetworkEvent.CLOSE);
    private static final int QOS = EventSelection.bit(NetworkEvent.QOS);
    private static final NetworkEvent[] EVENTS = NetworkEvent.values();

    private final Waiter waiter;
    private final EventSource source;
    private final Object attachment;
    private final ReentrantLock lock = new ReentrantLock();
    private int interest;
    private int enabled;
    private int recorded;
    private WinsockError onceError = WinsockError.NO_ERROR;
    private WinsockError qosError = WinsockError.NO_ERROR;
    private boolean valid = true;

    Registration(Waiter waiter, EventSource source, Object attachment) {
        this.waiter = waiter;
        this.source = source;
        this.attachment = attachment;
    }

    @Override
    public Object source() {
        return source;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public Set<NetworkEvent> interest() {
        lock.lock();
        try {
            return setOf(interest);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void interest(Set<NetworkEvent> wanted) {
        source.select(this, checkedBits(source, wanted)); // which refuses a cancelled registration, under the lock
    }

    /** The bits of {@code wanted}, which {@code source} must be able to report. */
    static int checkedBits(EventSource source, Set<NetworkEvent> wanted) {
        if (!source.reportable().containsAll(wanted)) {
            throw new IllegalArgumentException(source + " reports only " + source.reportable() + ", not " + wanted);
        }
        return EventSelection.bits(wanted);
    }

    @Override
    public NetworkEvents takeEvents() {
        lock.lock();
        try {
            if (recorded == 0) {
                return NetworkEvents.NONE;
            }
            Map<NetworkEvent, WinsockError> errors = new EnumMap<>(NetworkEvent.class);
            for (NetworkEvent event : EVENTS) {
                int bit = EventSelection.bit(event);
                if ((recorded & bit) != 0) {
                    errors.put(event, (ONCE & bit) != 0 ? onceError : bit == QOS ? qosError : WinsockError.NO_ERROR);
                }
            }
            recorded = 0;
            waiter.notReady(this);
            return new NetworkEvents(errors.keySet(), errors);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isValid() {
        lock.lock();
        try {
            return valid;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        source.deselect(this);
        invalidate();
        waiter.forget(this);
    }

    /** Starts over with {@code bits} of interest: everything enabled, nothing recorded. Source's lock held. */
    void restart(int bits) {
        lock.lock();
        try {
            interest = bits;
            enabled = ~0;
            recorded = 0;
            waiter.notReady(this);
        } finally {
            lock.unlock();
        }
    }

    /** The source was registered again: this registration ends. Source's lock held. */
    void superseded() {
        invalidate();
        waiter.forget(this);
    }

    private void invalidate() {
        lock.lock();
        try {
            valid = false;
            recorded = 0;
            waiter.notReady(this);
        } finally {
            lock.unlock();
        }
    }

    /** True if {@code bit}'s event is of interest. Source's lock held. */
    boolean reports(int bit) {
        lock.lock();
        try {
            return valid && (interest & bit) != 0;
        } finally {
            lock.unlock();
        }
    }

    /** True if {@code bit}'s event is of interest and enabled: it would be recorded if it held. Source's lock held. */
    boolean awaits(int bit) {
        lock.lock();
        try {
            return valid && (interest & enabled & bit) != 0;
        } finally {
            lock.unlock();
        }
    }

    /** Records the enabled events of interest whose condition holds. Source's lock held. */
    void update(int levels, int reEnabled, WinsockError error, WinsockError qosErrorNow) {
        lock.lock();
        try {
            if (!valid) {
                return;
            }
            enabled |= reEnabled & ~ONCE;
            int fresh = levels & interest & enabled;
            if (fresh == 0) {
                return;
            }
            enabled &= ~fresh;
            recorded |= fresh;
            if ((fresh & ONCE) != 0) {
                onceError = error;
            }
            if ((fresh & QOS) != 0) {
                qosError = qosErrorNow;
            }
            waiter.ready(this);
        } finally {
            lock.unlock();
        }
    }

    private static Set<NetworkEvent> setOf(int bits) {
        Set<NetworkEvent> set = EnumSet.noneOf(NetworkEvent.class);
        for (NetworkEvent event : EVENTS) {
            if ((bits & EventSelection.bit(event)) != 0) {
                set.add(event);
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return "EventKey[" + source + ", interest " + interest() + "]";
    }
}
